import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { commandProposer, menuProposer, proposeLoop, type ProposerInput } from "../../src/tune/index.js";
import { cfileProgram } from "../workloads/cfile-program.js";

/** The proposer loop with real gcc, cachegrind and native timing: the built-in menu proposer and a scripted external one. */
const dir = mkdtempSync(join(tmpdir(), "simlab-proposer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// A kernel whose plain schedule is clearly slow, so the test does not hang on timing noise: ROWS=0 sums a 2048 × 2048
// matrix column by column (a cache miss per element), ROWS=1 row by row; UNROLL only gives round 2 something new.
const TRAVERSAL_C = cfileProgram(`#ifndef ROWS
#define ROWS 0
#endif
#ifndef UNROLL
#define UNROLL 1
#endif
#define N 2048
static float a[N][N];
static double acc;
__attribute__((noinline)) void kernel(void) {
  double s = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j += UNROLL)
      for (int u = 0; u < UNROLL; u++) s += ROWS ? a[i][j + u] : a[j + u][i];
  acc = s;
}
static void init(void) { for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) a[i][j] = (float)((i + j) % 5); }
`);

test("the menu proposer (beam search over one-knob moves) improves on the plain schedule", async () => {
  const file = join(dir, "traversal.c");
  writeFileSync(file, TRAVERSAL_C);
  const r = await proposeLoop({ workload: "cfile", workloadOptions: { file, reference: { ROWS: 0, UNROLL: 1 } }, space: "ROWS=0,1 UNROLL=1,2,4", db: join(dir, "menu.db"), proposer: menuProposer(), rounds: 2, beam: 1, reps: 3 });
  assert.deepEqual(r.start.knobs, { ROWS: 0, UNROLL: 1 });
  // Round 1 tries the plain schedule's one-knob neighbours; round 2 the new neighbours of the best of them.
  assert.deepEqual(r.history.filter((h) => h.round === 1).map((h) => h.knobs).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))), [
    { ROWS: 0, UNROLL: 2 },
    { ROWS: 0, UNROLL: 4 },
    { ROWS: 1, UNROLL: 1 },
  ]);
  assert.ok(r.history.filter((h) => h.round === 2).length >= 1);
  assert.ok(r.history.every((h) => h.status === "ok" && h.runtime_s! > 0 && h.stats!["cachegrind.kernel.Ir"]! > 0));
  assert.equal(r.best.knobs.ROWS, 1, "the row-by-row traversal wins");
  assert.ok(r.speedup > 1.5, `speed-up ${r.speedup}`);
});

// A user kernel whose knobs can break it: UNROLL=3 does not compile; BUG=1 computes a wrong result.
const KERNEL_C = cfileProgram(`#ifndef UNROLL
#define UNROLL 1
#endif
#if UNROLL == 3
#error "UNROLL=3 is not supported"
#endif
#ifndef BUG
#define BUG 0
#endif
#define N 24000
static float x[N];
static double acc;
__attribute__((noinline)) void kernel(void) {
  double s = 0;
  for (int i = 0; i < N; i += UNROLL) for (int u = 0; u < UNROLL; u++) s += x[i + u];
  acc = s + BUG;
}
static void init(void) { for (int i = 0; i < N; i++) x[i] = (float)(i % 7); }
`);

test("an external proposer's broken proposals (compile error, wrong checksum, not JSON) are recorded with their reason and the loop goes on", async () => {
  const file = join(dir, "kernel.c");
  writeFileSync(file, KERNEL_C);
  const inbox = join(dir, "inbox");
  mkdirSync(inbox);
  // Round 1: three proposals and a line of chatter; round 2 (having seen the feedback): nothing more.
  const script = join(dir, "propose.sh");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      `n=$(ls ${inbox} | wc -l)`,
      `cat > ${inbox}/feedback-$n.json`,
      'if [ "$n" = 0 ]; then',
      `  echo '{"UNROLL": 3}'`,
      "  echo 'here are my ideas:'",
      `  echo '{"knobs": {"UNROLL": 2, "BUG": 1}}'`,
      `  echo '{"UNROLL": 4}'`,
      "fi",
    ].join("\n") + "\n",
  );
  chmodSync(script, 0o755);
  const proposer = commandProposer(script);
  const r = await proposeLoop({ workload: "cfile", workloadOptions: { file, reference: { UNROLL: 1, BUG: 0 } }, space: "UNROLL=1,2", db: join(dir, "external.db"), proposer, rounds: 5, reps: 3 });

  const status = (knobs: Record<string, number>) => r.history.find((h) => JSON.stringify(h.knobs) === JSON.stringify(knobs))?.status;
  assert.equal(status({ UNROLL: 1, BUG: 0 }), "ok");
  assert.equal(status({ UNROLL: 3, BUG: 0 }), "build");
  assert.equal(status({ UNROLL: 2, BUG: 1 }), "checksum");
  assert.equal(status({ UNROLL: 4, BUG: 0 }), "ok");
  assert.match(r.history.find((h) => h.status === "build")!.message!, /the compiler exited with status 1: .*-DUNROLL=3/);
  assert.deepEqual(proposer.rejected, ["here are my ideas:"]);
  assert.ok(r.best.status === "ok" && r.best.knobs.BUG === 0 && r.best.knobs.UNROLL !== 3);
  // The loop went on to a second round, whose input carried the failures back to the proposer.
  assert.equal(r.rounds, 2);
  assert.deepEqual(readdirSync(inbox).sort(), ["feedback-0.json", "feedback-1.json"]);
  const second = JSON.parse(readFileSync(join(inbox, "feedback-1.json"), "utf8")) as ProposerInput;
  assert.equal(second.round, 2);
  assert.deepEqual(second.history.map((h) => h.status).sort(), ["build", "checksum", "ok", "ok"]);
  assert.ok(second.best.every((b) => b.status === "ok" && b.runtime_s! > 0 && b.checksum !== undefined));
});
