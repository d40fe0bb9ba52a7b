import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { isSimlabError } from "../../src/core/errors.js";
import { magics } from "../../src/magics/sweep.js";
import type { MagicContext } from "../../src/magics/types.js";
import { openStore } from "../../src/store/index.js";
import { wideTable } from "../../src/data/from-store.js";
import { runSweep } from "../../src/sweep/index.js";
import { sweepCli } from "./sweep-cli.js";

// End-to-end with real gcc, valgrind and SQLite. Sizes are small so each run takes well under 0.5 s.
const GEMM_24 = fileURLToPath(new URL("../../../datasets/specs/gemm-24.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "simlab-sweep-test-"));

function writeSpec(name: string, spec: object): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, ...spec }));
  return path;
}

const cli = sweepCli;

/** Processes whose command line mentions `text` (other than this one). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

function okRuns(dbPath: string): { id: number; cache_key: string; finished: string }[] {
  try {
    const db = openStore(dbPath, { readonly: true });
    try {
      return db.prepare("SELECT id, cache_key, finished FROM runs WHERE kind = 'point' AND status = 'ok' ORDER BY id").all() as { id: number; cache_key: string; finished: string }[];
    } finally {
      db.close();
    }
  } catch {
    return []; // not created yet
  }
}

test("CLI: a 24-point GEMM sweep with native + cachegrind fills every row; readers can read meanwhile; a rerun is all cached", async () => {
  const db = join(dir, "gemm24.db");
  const { done } = cli([GEMM_24, "--db", db]);
  const partialReads: number[] = [];
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    const n = okRuns(db).length;
    if (n > 0 && n < 48) partialReads.push(n);
    await sleep(100);
  }
  const { code, stderr } = await done;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /gemm-24: 24 points × tools = 48 runs: 48 done, 0 failed, 0 cached/);
  assert.ok(partialReads.length > 0, "another connection read the store while the sweep was writing it");

  const t = wideTable(db, "gemm-24");
  assert.equal(t.numRows(), 24);
  for (const column of ["runtime_min_s", "runtime_median_s", "runtime_cv", "cachegrind.kernel.Ir", "cachegrind.kernel.D1mr", "cachegrind.total.Ir"]) {
    const values = t.array(column) as (number | null)[];
    assert.ok(values.every((v) => typeof v === "number" && Number.isFinite(v)), `${column} is filled in every row`);
  }
  assert.ok((t.array("runtime_min_s") as number[]).every((v) => v > 0));
  assert.deepEqual(new Set(t.array("status") as string[]), new Set(["ok"]));
  assert.equal(new Set(t.array("order") as string[]).size, 6);

  const store = openStore(db, { readonly: true });
  const drift = store.prepare("SELECT count(*) AS n, count(DISTINCT finished) AS times FROM runs WHERE kind = 'drift' AND status = 'ok'").get() as { n: number; times: number };
  const hosts = store.prepare("SELECT cpu_model, cores, kernel FROM hosts").all() as { cores: number }[];
  store.close();
  assert.ok(drift.n >= 2 && drift.times === drift.n, "the reference is re-measured during the sweep, each with its own timestamp");
  assert.equal(hosts.length, 1);

  const again = cli([GEMM_24, "--db", db]);
  const started = performance.now();
  const second = await again.done;
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /48 runs: 0 done, 0 failed, 48 cached/);
  assert.ok(performance.now() - started < 3000, "a fully cached rerun compiles and runs nothing");
});

test("SIGKILL midway, then resume: finished runs are kept, none duplicated, only missing ones run, orphans ended", async () => {
  const spec = writeSpec("killed", {
    workloads: [{ kind: "gemm", space: { M: [48], N: [48], K: [48], order: ["ijk", "ikj", "jik", "jki", "kij", "kji"], unroll: [1, 2] } }],
    tools: ["cachegrind"],
    options: { jobs: 2 },
  });
  const db = join(dir, "killed.db");
  const { child, done } = cli([spec, "--db", db]);
  while (okRuns(db).length < 3) {
    assert.equal(child.exitCode, null, "the sweep ended before it could be killed");
    await sleep(30);
  }
  child.kill("SIGKILL");
  await done;
  const kept = okRuns(db);
  assert.ok(kept.length >= 3 && kept.length < 12, `killed midway (${kept.length} of 12 finished)`);

  const summary = await runSweep(spec, { db });
  assert.equal(summary.cached, kept.length, "every finished run is reused");
  assert.equal(summary.done, 12 - kept.length, "only the missing runs are executed");
  assert.equal(summary.failed, 0);
  const after = okRuns(db);
  assert.equal(after.length, 12);
  assert.equal(new Set(after.map((r) => r.cache_key)).size, 12, "no key has two finished runs");
  for (const run of kept) assert.deepEqual(after.find((r) => r.id === run.id), run, "a run finished before the kill is untouched");
  const store = openStore(db, { readonly: true });
  const running = store.prepare("SELECT count(*) AS n FROM runs WHERE status = 'running'").get() as { n: number };
  store.close();
  assert.equal(running.n, 0);
  assert.deepEqual(processesMentioning(`simlab-sweep-${child.pid}-`), [], "no process of the killed sweep survives the resume");
});

test("an interrupt mid-sweep leaves no simulator or variant process alive after 1 s", async () => {
  const spec = writeSpec("interrupted", {
    workloads: [{ kind: "gemm", space: { M: [40], N: [40], K: [40], order: ["ijk", "ikj", "jik", "jki", "kij", "kji"], unroll: [1, 2] } }],
    tools: ["cachegrind", "callgrind"],
  });
  const db = join(dir, "interrupted.db");
  const controller = new AbortController();
  const outcome = runSweep(spec, {
    db,
    jobs: 2,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done >= 2) controller.abort();
    },
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const error = await outcome;
  const abortedAt = performance.now();
  assert.ok(isSimlabError(error) && /interrupted after \d+ of 24 runs/.test(error.message), String(error));
  assert.match((error as { hint?: string }).hint ?? "", /resume/);
  let left = processesMentioning(`simlab-sweep-${process.pid}-`);
  while (left.length > 0 && performance.now() - abortedAt < 1000) {
    await sleep(50);
    left = processesMentioning(`simlab-sweep-${process.pid}-`);
  }
  assert.deepEqual(left, [], "no child process is left 1 s after the interrupt");
  const store = openStore(db, { readonly: true });
  const rows = store.prepare("SELECT status, count(*) AS n FROM runs GROUP BY status").all() as { status: string; n: number }[];
  store.close();
  assert.equal(rows.find((r) => r.status === "running"), undefined, "in-flight runs are not left marked running");
  assert.ok((rows.find((r) => r.status === "ok")?.n ?? 0) >= 2);
});

test("a simulator that crashes, hangs past its timeout or prints garbage is a failed run with its reason; the sweep goes on", async () => {
  const script = join(dir, "flaky-sim.sh");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      'case "$(head -1 "$(dirname "$1")/kernel.c")" in',
      '  *order=ikj*) echo "simulator exploded: segfault at 0x0" >&2; exit 3 ;;',
      "  *order=jik*) sleep 31.5 ;;",
      '  *order=jki*) echo "%%% no statistics here %%%" ;;',
      '  *) "$1" sim; echo "insns=42" ;;',
      "esac",
    ].join("\n"),
  );
  const spec = writeSpec("flaky", {
    workloads: [{ kind: "gemm", space: { M: [16], N: [16], K: [16], order: ["ijk", "ikj", "jik", "jki"] } }],
    tools: [`cmd:sh ${script} {binary}`],
    options: { timeout: 1 },
  });
  const db = join(dir, "flaky.db");
  const started = performance.now();
  const { code, stderr } = await cli([spec, "--db", db]).done;
  assert.ok(performance.now() - started < 15000, "the hanging run is cut at its timeout");
  assert.equal(code, 1, "failed runs make a non-zero exit");
  assert.match(stderr, /4 runs: 1 done, 3 failed/);
  const t = wideTable(db, "flaky");
  const byOrder = new Map((t.objects() as { order: string; status: string; failures: string | null }[]).map((r) => [r.order, r]));
  assert.equal(byOrder.get("ijk")!.status, "ok");
  assert.match(byOrder.get("ikj")!.failures!, /: crash$/);
  assert.match(byOrder.get("jik")!.failures!, /: timeout$/);
  assert.match(byOrder.get("jki")!.failures!, /: bad-output$/);
  const store = openStore(db, { readonly: true });
  const crash = store.prepare("SELECT exit_code, stderr_tail FROM runs WHERE reason = 'crash'").get() as { exit_code: number; stderr_tail: string };
  store.close();
  assert.equal(crash.exit_code, 3);
  assert.match(crash.stderr_tail, /simulator exploded/);
  assert.deepEqual(processesMentioning("sleep 31.5"), [], "the hung simulator's process group was killed");
});

test("CLI: a spec with a bad value is one clear error naming the field", async () => {
  const spec = writeSpec("bad", { workloads: [{ kind: "gemm", space: { M: [64], tm: [0, "x"] } }], tools: ["native"] });
  const { code, stderr } = await cli([spec, "--db", join(dir, "bad.db")]).done;
  assert.equal(code, 1);
  assert.equal(stderr.trim().split("\n").length, 2, stderr);
  assert.match(stderr, /^simlab sweep: bad\.json: workloads\[0\]\.space\.tm: expected a list of non-negative integers, got "x"\nhint: /);
});

test("%sweep: inline options run a sweep with one progress display updated in place and return the wide table", async () => {
  const shown: string[] = [];
  const updated: string[] = [];
  const ctx: MagicContext = {
    signal: new AbortController().signal,
    display: { display: (_v, o) => shown.push(o?.displayId ?? "none"), update: (id) => updated.push(id) },
    stdout: () => {},
    stderr: () => {},
    runCode: async () => undefined,
  };
  const magic = magics.find((m) => m.name === "sweep")!;
  assert.equal(magic.binds, 'import("arquero").ColumnTable');
  const db = join(dir, "magic.db");
  const t = (await magic.run({ workload: "mvm", space: "M=32 N=32 order=row,col", tools: ["cachegrind"], db }, ctx)) as import("arquero").ColumnTable;
  assert.equal(t.numRows(), 2);
  assert.ok((t.array("cachegrind.kernel.Ir") as number[]).every((v) => v > 0));
  assert.equal(shown.length, 1, "one progress display");
  assert.ok(updated.length >= 1 && updated.every((id) => id === shown[0]), "updated in place");
});
