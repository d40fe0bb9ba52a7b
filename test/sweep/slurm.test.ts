import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { openStore } from "../../src/store/index.js";
import { loadSpecFile, runSweep, type ProgressSnapshot } from "../../src/sweep/index.js";
import { sweepCli } from "./sweep-cli.js";
import { startLocalSlurm, type LocalSlurm } from "./slurm-cluster.js";

// Issue 10: sweeps through a real one-node Slurm (munge, slurmctld, slurmd started by test/cluster/slurm-local.sh).
const dir = mkdtempSync(join(tmpdir(), "simlab-slurm-sweep-test-"));
const GEMM_24 = fileURLToPath(new URL("../../../datasets/specs/gemm-24.json", import.meta.url));
let cluster: LocalSlurm;

before(() => {
  // 3 CPUs on a 2-core machine: the time-limit test's sleeping task holds one while the others run.
  cluster = startLocalSlurm(3);
  Object.assign(process.env, cluster.env);
});

after(() => {
  cluster?.stop();
});

type Row = { id: number; cache_key: string; status: string; reason: string | null; message: string | null; tool: string };
function runs(db: string): Row[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.prepare("SELECT id, cache_key, status, reason, message, tool FROM runs WHERE kind = 'point' ORDER BY id").all() as Row[];
  } finally {
    store.close();
  }
}

/** cache key → statistic → value, of the finished runs of one tool. */
function counts(db: string, tool: string): Map<string, Record<string, number>> {
  const store = openStore(db, { readonly: true });
  try {
    const rows = store.prepare("SELECT r.cache_key AS key, s.name, s.value FROM runs r JOIN statistics s ON s.run_id = r.id WHERE r.status = 'ok' AND r.kind = 'point' AND r.tool = ?").all(tool) as {
      key: string;
      name: string;
      value: number;
    }[];
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) (out.get(r.key) ?? out.set(r.key, {}).get(r.key)!)[r.name] = r.value;
    return out;
  } finally {
    store.close();
  }
}

function storedOk(db: string): number {
  try {
    return runs(db).filter((r) => r.status === "ok").length;
  } catch {
    return 0; // no store yet
  }
}

function jobLog(): string {
  return readFileSync(join(cluster.dir, "jobcomp.log"), "utf8");
}

function squeue(name: string): string {
  return execFileSync("squeue", ["-h", "-n", name, "-o", "%i %T"], { encoding: "utf8" }).trim();
}

/** An inline cachegrind sweep of `n` small GEMM variants (distinct orders and tiles) through Slurm. */
function smallSweep(name: string, slurm: Record<string, unknown>, orders = ["ijk", "ikj", "jik", "jki", "kij", "kji"]): object {
  return {
    name,
    workloads: [{ kind: "gemm", space: { M: [32], N: [32], K: [32], order: orders, tn: [0] } }],
    tools: ["cachegrind"],
    backend: { slurm },
  };
}

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

// Started first, awaited last: Slurm's smallest time limit is a minute and slurmctld looks every 30 s.
let timeLimited: Promise<Awaited<ReturnType<typeof runSweep>>> | undefined;
const timeLimitDb = join(dir, "time-limit.db");
before(() => {
  const sleeper = script("sleeper.sh", "sleep 600");
  const spec = smallSweep("time-limit", { timeLimit: "1", command: sleeper, chunk: 1, pollSeconds: 1 }, ["ijk"]);
  timeLimited = runSweep(spec, { db: timeLimitDb });
});

test("gemm-24 through --backend slurm stores the same cachegrind counts as the local pool; native stays local", async () => {
  const spec = loadSpecFile(GEMM_24);
  const slurmDb = join(dir, "gemm-slurm.db");
  const snapshots: ProgressSnapshot[] = [];
  const summary = await runSweep({ ...spec, backend: { slurm: { chunk: 4, maxConcurrent: 2 } } }, { db: slurmDb, onProgress: (p) => snapshots.push(p) });
  // The live bar is fed by the cluster: runs queued, then running, then done.
  assert.ok(snapshots.some((p) => (p.queued ?? 0) > 0), "some snapshot shows queued runs");
  assert.ok(snapshots.some((p) => p.queued !== undefined && p.running > 0), "some snapshot shows running tasks");
  assert.ok(snapshots.at(-1)!.finished);
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures.slice(0, 2)));
  assert.equal(summary.done, 48);
  const local = join(dir, "gemm-local.db");
  await runSweep({ ...spec, tools: ["cachegrind"] }, { db: local, jobs: 2 });

  const viaSlurm = counts(slurmDb, "cachegrind");
  const viaPool = counts(local, "cachegrind");
  assert.equal(viaSlurm.size, 24);
  assert.deepEqual([...viaSlurm.keys()].sort(), [...viaPool.keys()].sort());
  for (const [key, stats] of viaPool) assert.deepEqual(viaSlurm.get(key), stats, `cachegrind counts of run ${key.slice(0, 12)}`);
  assert.ok(viaSlurm.values().next().value!["kernel.D1mr"]! > 0);
  // Native runs were measured here, not in a task: the job arrays held cachegrind runs only.
  const workdir = join(dir, "gemm-slurm.db.slurm", "gemm-24");
  const submitted = readdirSync(join(workdir, "jobs")).map((f) => JSON.parse(readFileSync(join(workdir, "jobs", f), "utf8")) as { tasks: string[][] });
  const cachegrindKeys = new Set(viaSlurm.keys());
  assert.ok(submitted.flatMap((j) => j.tasks.flat()).every((k) => cachegrindKeys.has(k)));
  assert.equal(counts(slurmDb, "native").size, 24);
});

test("kill -9 of the driver mid-sweep, then a rerun: no finished run lost or duplicated, submitted tasks adopted", async () => {
  const db = join(dir, "resume.db");
  const spec = join(dir, "resume.json");
  writeFileSync(spec, JSON.stringify(smallSweep("resume", { chunk: 1, maxConcurrent: 1, pollSeconds: 0.2 })));
  const first = sweepCli([spec, "--db", db]);
  // Kill it once some runs are stored and others are still queued.
  for (let i = 0; ; i++) {
    assert.ok(i < 600, "no run finished within 60 s");
    if (storedOk(db) >= 2) break;
    await sleep(100);
  }
  first.child.kill("SIGKILL");
  await first.done;
  const before = runs(db).filter((r) => r.status === "ok");
  assert.ok(before.length >= 2 && before.length < 6, `${before.length} runs stored before the kill`);
  assert.notEqual(squeue("simlab-resume"), "", "the killed driver's array is still queued");

  const jobsDir = join(dir, "resume.db.slurm", "resume", "jobs");
  const submittedArrays = readdirSync(jobsDir);
  const summary = await runSweep(spec, { db });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.deepEqual(readdirSync(jobsDir), [], "the finished sweep forgets its arrays");
  const after = runs(db);
  assert.equal(after.length, 6);
  assert.ok(after.every((r) => r.status === "ok"));
  assert.equal(new Set(after.map((r) => r.cache_key)).size, 6, "no run is stored twice");
  for (const r of before) assert.ok(after.some((a) => a.id === r.id && a.cache_key === r.cache_key), "a run finished before the kill is kept as it was");
  assert.ok(summary.cached >= before.length);
  // The rerun submitted nothing: it waited for the first driver's tasks (one array, the first driver's).
  assert.equal(submittedArrays.length, 1, `arrays: ${submittedArrays.join(", ")}`);
  assert.equal(squeue("simlab-resume"), "");
  assert.ok(jobLog().includes(`JobId=`) && new RegExp(`ArrayJobId=${submittedArrays[0]!.replace(".json", "")} `).test(jobLog()), "the adopted array ran to its end");
});

test("interrupting simlab sweep --backend slurm cancels its job arrays: none left in squeue 5 s later", async () => {
  const db = join(dir, "interrupt.db");
  const spec = join(dir, "interrupt.json");
  writeFileSync(spec, JSON.stringify(smallSweep("interrupt", { chunk: 1, maxConcurrent: 1 })));
  const run = sweepCli([spec, "--db", db]);
  for (let i = 0; squeue("simlab-interrupt") === ""; i++) {
    assert.ok(i < 300, "the sweep submitted no job within 30 s");
    await sleep(100);
  }
  run.child.kill("SIGINT");
  const { code, stderr } = await run.done;
  assert.equal(code, 130, stderr);
  await sleep(5000);
  assert.equal(squeue("simlab-interrupt"), "");
  assert.ok(runs(db).every((r) => r.status !== "running"), "no run is left claimed");
});

test("sbatch refusing the array (an unknown partition) is one error; nothing is left claimed", async () => {
  const db = join(dir, "refused.db");
  await assert.rejects(runSweep(smallSweep("refused", { partition: "nope" }, ["ijk"]), { db }), (e: Error) => {
    assert.match(e.message, /^sbatch refused the job array of sweep 'refused': .*invalid partition/i);
    return true;
  });
  assert.deepEqual(runs(db), []);
});

test("a task that exits 1 becomes a recorded failure naming its Slurm state; the sweep goes on", async () => {
  const db = join(dir, "exit1.db");
  const failing = script("exit1.sh", "echo 'node setup failed' >&2; exit 1");
  const summary = await runSweep(smallSweep("exit1", { command: failing, chunk: 2, pollSeconds: 0.2 }, ["ijk", "ikj", "jik"]), { db });
  assert.equal(summary.failed, 3);
  const rows = runs(db);
  assert.equal(rows.length, 3);
  for (const r of rows) {
    assert.equal(r.status, "failed");
    assert.equal(r.reason, "crash");
    assert.match(r.message!, /Slurm task \d+_\d ended FAILED \(exit code 1:0\)/);
    assert.match(r.message!, /node setup failed/);
  }
});

test("a task past its time limit becomes a recorded timeout naming TIMEOUT", async () => {
  const summary = await timeLimited!;
  assert.equal(summary.failed, 1);
  const [row] = runs(timeLimitDb);
  assert.equal(row!.status, "failed");
  assert.equal(row!.reason, "timeout");
  assert.match(row!.message!, /Slurm task \d+_0 ended TIMEOUT/);
});
