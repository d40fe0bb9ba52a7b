import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isSimlabError } from "../../src/core/errors.js";
import { claimRun, completeRun, hostId, openStore, saveSweep } from "../../src/store/index.js";
import { runSweep } from "../../src/sweep/index.js";
import { ownerId } from "../../src/sweep/owner.js";
import { reapOrphans } from "../../src/sweep/workdir.js";
import { sweepCli } from "./sweep-cli.js";

// Issue 14, the sweep half: each test reproduces one way a sweep lost runs, hung or lied, with real gcc,
// valgrind and SQLite.
const dir = mkdtempSync(join(tmpdir(), "simlab-reliability-test-"));

function write(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const cli = sweepCli;

type Row = { knobs: string; status: string; reason: string | null; message: string | null; checksum: string | null; cache_key: string; owner: string };
function rows(db: string): Row[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.prepare("SELECT knobs, status, reason, message, checksum, cache_key, owner FROM runs WHERE kind = 'point' ORDER BY id").all() as Row[];
  } finally {
    store.close();
  }
}

/** How many processes mention `text` once that number reaches `expected`, or after 5 s, whichever comes first. */
async function settledCount(text: string, expected: number): Promise<number> {
  for (const end = Date.now() + 5000; pidsMentioning(text).length !== expected && Date.now() < end; ) await sleep(50);
  return pidsMentioning(text).length;
}

/** pids whose command line contains `text`. */
function pidsMentioning(text: string): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A C program in the output protocol whose checksum is `value`; `guard` is preprocessor text placed first. */
function cProgram(value: string, guard = ""): string {
  return `${guard}
#include <stdio.h>
static long data[N];
__attribute__((noinline)) void kernel(void) { for (int i = 0; i < N; i++) data[i] = i % 7; }
int main(void) { kernel(); long s = 0; for (int i = 0; i < N; i++) s += data[i] > 0; printf("checksum %d\\nsum=%ld\\n", ${value}, s); return 0; }
`;
}

test("a reference that fails to build fails its dependents with its reason; nothing hangs, nothing stays running", async () => {
  const file = write("no64.c", cProgram("1", "#if N == 64\n#error no 64 here\n#endif"));
  const spec = write("no64.json", { name: "no64", workloads: [{ kind: "cfile", space: { N: [64, 128, 256] }, options: { file, reference: { N: 64 } } }], tools: ["cachegrind"] });
  const db = join(dir, "no64.db");
  const { child, done } = cli([spec, "--db", db]);
  const { code, stderr } = await done;
  assert.equal(code, 1, stderr);
  assert.match(stderr, /3 runs: 0 done, 3 failed/);
  const byN = new Map(rows(db).map((r) => [JSON.parse(r.knobs).N as number, r]));
  assert.deepEqual([...byN.keys()].sort((a, b) => a - b), [64, 128, 256]);
  for (const r of byN.values()) assert.equal(r.status, "failed");
  assert.equal(byN.get(64)!.reason, "build");
  assert.match(byN.get(64)!.message!, /no 64 here/);
  for (const n of [128, 256]) {
    assert.equal(byN.get(n)!.reason, "build", "a dependent fails with its reference's reason");
    assert.match(byN.get(n)!.message!, /^the reference variant \{"N":64\} failed \(build\)/);
  }
  assert.ok(!readdirSync(tmpdir()).some((e) => e.startsWith(`simlab-sweep-${child.pid}-`)), "the scratch folder is removed");
});

test("a file that does not compile counts as failed and makes the CLI exit non-zero", async () => {
  const file = write("broken.c", "int main(void) { return syntax error; }\n");
  const spec = write("broken.json", { name: "broken", workloads: [{ kind: "cfile", space: { N: [1, 2] }, options: { file } }], tools: ["cachegrind"] });
  const { code, stderr } = await cli([spec, "--db", join(dir, "broken.db")]).done;
  assert.equal(code, 1, stderr);
  assert.match(stderr, /2 runs: 0 done, 2 failed/);
  assert.match(stderr, /failed: cfile \{"N":1\} cachegrind: build: the compiler exited with status 1/);
});

const referenceSpec = (name: string, file: string) => ({
  name,
  workloads: [{ kind: "cfile", space: { N: [64, 128, 256] }, options: { file, reference: { N: 64 } } }],
  tools: ["cachegrind"],
  options: { jobs: 2 },
});

test("two sweeps on one store at once: no false failures, every key finished once", async () => {
  const file = write("twice.c", cProgram("1"));
  const spec = write("twice.json", {
    name: "twice",
    workloads: [{ kind: "gemm", space: { M: [24], N: [24], K: [24], order: ["ijk", "ikj", "jik", "jki", "kij", "kji"], unroll: [1, 2] } }, referenceSpec("x", file).workloads[0]],
    tools: ["cachegrind"],
  });
  const db = join(dir, "twice.db");
  const [a, b] = await Promise.all([cli([spec, "--db", db, "--jobs", "1"]).done, cli([spec, "--db", db, "--jobs", "1"]).done]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  for (const out of [a, b]) assert.match(out.stderr, /15 runs: \d+ done, 0 failed, \d+ cached/);
  const all = rows(db);
  assert.deepEqual(all.filter((r) => r.status !== "ok"), []);
  assert.equal(all.length, 15);
  assert.equal(new Set(all.map((r) => r.cache_key)).size, 15);
});

/** The reference's cache key and checksum, from a sweep of the same spec on a scratch store. */
async function referenceOf(name: string, file: string): Promise<{ key: string; checksum: string }> {
  const db = join(dir, `${name}-learn.db`);
  await runSweep(referenceSpec(name, file), { db });
  const ref = rows(db).find((r) => JSON.parse(r.knobs).N === 64)!;
  return { key: ref.cache_key, checksum: ref.checksum! };
}

/** Claims `key` in `db` as a live process (a sleeping child) would: a sweep of another process holding it. */
function holdClaim(db: string, key: string): { holder: ChildProcess; runId: number } {
  const holder = spawn("sleep", ["60"], { stdio: "ignore" });
  const store = openStore(db);
  try {
    const sweepId = saveSweep(store, "other", {}, []);
    const runId = claimRun(store, { cacheKey: key, kind: "point", sweepId, workload: "cfile", knobs: '{"N":64}', tool: "cachegrind", toolVersion: "", hostId: hostId(store), owner: ownerId(holder.pid!) })!;
    return { holder, runId };
  } finally {
    store.close();
  }
}

async function untilRunning(db: string, n: number): Promise<void> {
  while (rows(db).filter((r) => r.status === "running" && r.owner === ownerId()).length < n) await sleep(50);
  await sleep(300); // their runs end and wait for the reference
}

test("a reference another live sweep holds is waited for, and its result checks the dependents", async () => {
  const file = write("held.c", cProgram("1"));
  const ref = await referenceOf("held", file);
  const db = join(dir, "held.db");
  const { holder, runId } = holdClaim(db, ref.key);
  try {
    const sweep = runSweep(referenceSpec("held", file), { db });
    await untilRunning(db, 2);
    const store = openStore(db);
    completeRun(store, runId, { stats: { "kernel.Ir": 1 }, checksum: ref.checksum, wallSeconds: 0.1, attempts: 1 });
    store.close();
    const summary = await sweep;
    assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
    assert.equal(summary.done, 3);
    assert.deepEqual(new Set(rows(db).map((r) => r.status)), new Set(["ok"]));
  } finally {
    holder.kill("SIGKILL");
  }
});

test("a reference held by a sweep that dies meanwhile is taken over and run", async () => {
  const file = write("dies.c", cProgram("1"));
  const ref = await referenceOf("dies", file);
  const db = join(dir, "dies.db");
  const { holder } = holdClaim(db, ref.key);
  const sweep = runSweep(referenceSpec("dies", file), { db });
  await untilRunning(db, 2);
  holder.kill("SIGKILL");
  const summary = await sweep;
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  const reference = rows(db).find((r) => r.cache_key === ref.key && r.status === "ok")!;
  assert.equal(reference.owner, ownerId(), "this sweep ran the reference itself");
  assert.equal(reference.checksum, ref.checksum);
});

test("a C file edited during a sweep: results stay under the key of the bytes compiled", async () => {
  const file = write("edited.c", cProgram("111"));
  const spec = { name: "edited", workloads: [{ kind: "cfile", space: { N: [32, 64] }, options: { file } }], tools: ["cachegrind"], options: { jobs: 1 } };
  const db = join(dir, "edited.db");
  let edited = false;
  const first = await runSweep(spec, {
    db,
    onProgress: () => {
      if (!edited) writeFileSync(file, cProgram("222")); // after planning, before the first build
      edited = true;
    },
  });
  assert.ok(edited);
  assert.equal(first.done, 2);
  assert.deepEqual(rows(db).map((r) => r.checksum), ["111", "111"], "the sweep compiled the source it planned with");
  const second = await runSweep(spec, { db });
  assert.equal(second.cached, 0, "the edited file is a new variant");
  assert.deepEqual(new Set(rows(db).filter((r) => r.status === "ok").map((r) => r.checksum)), new Set(["111", "222"]));
  writeFileSync(file, cProgram("111"));
  const reverted = await runSweep(spec, { db });
  assert.equal(reverted.cached, 2);
  assert.equal(reverted.done, 0);
});

test("a space above the point limit is refused at once, before any point is made", async () => {
  const values = Array.from({ length: 100 }, (_, i) => i);
  const huge = { name: "huge", workloads: [{ kind: "cfile", space: { A: values, B: values, C: values, D: values, E: values }, options: { file: "x.c" } }], tools: ["cachegrind"] };
  await assert.rejects(runSweep(huge, { db: join(dir, "huge.db") }), (e) => isSimlabError(e) && /10,000,000,000 points, more than the limit of 1,000,000/.test(e.message) && /maxPoints/.test(e.hint!));
  const small = { ...huge, workloads: [{ ...huge.workloads[0], space: { A: [1, 2, 3] } }], options: { maxPoints: 2 } };
  await assert.rejects(runSweep(small, { db: join(dir, "huge.db") }), (e) => isSimlabError(e) && /3 points, more than the limit of 2/.test(e.message));
  assert.ok(!existsSync(join(dir, "huge.db")), "refused before the store is opened");
});

test("kill -9 during a command workload: resume's cleanup kills the run's whole process group", async () => {
  const marker = `sleep 987.${process.pid}`;
  const spec = write("orphan.json", { name: "orphan", workloads: [{ kind: "command", space: { n: [1] }, options: { run: `${marker}; echo x=1` } }], tools: ["native"] });
  const { child, done } = cli([spec, "--db", join(dir, "orphan.db")]);
  while (pidsMentioning(marker).length === 0) {
    assert.equal(child.exitCode, null, "the sweep ended before its run started");
    await sleep(50);
  }
  child.kill("SIGKILL");
  await done;
  // Signalled processes take a moment to go (longer on a loaded machine): poll for up to 5 s instead of one fixed sleep.
  assert.equal(await settledCount(marker, 1), 1, "the run's child outlives the killed sweep (the parent-death signal reaches only the direct child)");
  reapOrphans();
  assert.equal(await settledCount(marker, 0), 0, "resume's cleanup killed it with its group");
});

test("CLI: flags given as a string and a timeout no timer can hold are one clear error each", async () => {
  const file = write("opts.c", cProgram("1"));
  const spec = write("opts.json", { name: "opts", workloads: [{ kind: "cfile", space: { N: [8] }, options: { file, flags: "-O3" } }], tools: ["cachegrind"] });
  const bad = await cli([spec, "--db", join(dir, "opts.db")]).done;
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split("\n").length, 2, bad.stderr);
  assert.match(bad.stderr, /^simlab sweep: opts: workloads\[0\]\.options: cfile: flags: expected a list of strings, got "-O3"\nhint: /);
  const good = write("opts-ok.json", { name: "opts", workloads: [{ kind: "cfile", space: { N: [8] }, options: { file } }], tools: ["cachegrind"] });
  const timeout = await cli([good, "--db", join(dir, "opts.db"), "--timeout", "3000000"]).done;
  assert.equal(timeout.code, 1);
  assert.equal(timeout.stderr.trim().split("\n").length, 2, timeout.stderr);
  assert.match(timeout.stderr, /options\.timeout: expected a number of seconds above 0 and at most 2000000, got 3000000/);
});

test("a program printing 100 MB fails with 'output exceeded', not SIGPIPE", async () => {
  const file = write("chatty.c", `#include <stdio.h>
#include <string.h>
__attribute__((noinline)) void kernel(void) {}
int main(void) { static char line[1 << 20]; memset(line, 'x', sizeof line - 1); for (int i = 0; i < N; i++) puts(line); kernel(); return 0; }
`);
  const spec = { name: "chatty", workloads: [{ kind: "cfile", space: { N: [100] }, options: { file } }], tools: ["cmd:env {binary} {args}"] };
  const summary = await runSweep(spec, { db: join(dir, "chatty.db") });
  assert.equal(summary.failed, 1);
  assert.equal(summary.failures[0]!.reason, "bad-output");
  assert.match(summary.failures[0]!.message, /^output exceeded 67108864 bytes \(process group killed\)/);
});

test("a command workload's file named to inject a command is passed as a value, whatever the quotes", async () => {
  const home = mkdtempSync(join(tmpdir(), "simlab-home-"));
  const named = join(dir, "a b'c$(cd;touch PWNED).sh");
  writeFileSync(named, 'echo "checksum 7"; echo "x=1"\n');
  const previousHome = process.env.HOME;
  process.env.HOME = home; // where `cd; touch PWNED` would land
  try {
    for (const [i, run] of ['sh "{src}"', "sh {src}", "sh '{src}'"].entries()) {
      const spec = { name: `inject-${i}`, workloads: [{ kind: "command", space: { n: [1] }, options: { file: named, run } }], tools: ["cmd:env {binary} {args}"] };
      const summary = await runSweep(spec, { db: join(dir, "inject.db") });
      assert.equal(summary.failed, 0, `${run}: ${JSON.stringify(summary.failures)}`);
      assert.equal(summary.done, 1);
    }
    assert.deepEqual(readdirSync(home), [], "no command from the file name ran");
    assert.ok(!existsSync("PWNED"));
  } finally {
    process.env.HOME = previousHome;
  }
});
