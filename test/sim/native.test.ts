import { test } from "node:test";
import assert from "node:assert/strict";
import { toolFor } from "../../src/sim/index.js";
import { workloadFor } from "../../src/workloads/index.js";
import { summarizeReps } from "../../src/sim/rep-summary.js";
import { parseProgramOutput } from "../../src/sim/program-output.js";
import { RunFailure } from "../../src/core/contracts.js";
import { buildC, context, removeScratch, scratch } from "./c-fixtures.js";

test("native timing: reps inside the binary, min ≤ median, a coefficient of variation, pinned to a CPU", async () => {
  const dir = await scratch();
  try {
    const program = await workloadFor("gemm").build({ M: 64, N: 64, K: 64, order: "ikj" }, dir, new AbortController().signal);
    const native = toolFor("native", { reps: 9, warmup: 2 });
    assert.equal(native.exclusive, true);
    const out = await native.run(program, { ...context(dir), cpu: 0 });
    const s = out.stats;
    assert.equal(s.reps, 9);
    assert.ok(s.runtime_min_s! > 0 && s.runtime_min_s! <= s.runtime_median_s!);
    assert.ok(s.runtime_median_s! < out.wallSeconds, "each rep is shorter than the whole process");
    assert.ok(s.runtime_cv! >= 0 && s.runtime_cv! < 5);
    assert.match(out.checksum!, /^[0-9a-f]{16}$/);
    assert.notEqual(toolFor("native", { reps: 9 }).cacheKey(), toolFor("native").cacheKey());
  } finally {
    await removeScratch(dir);
  }
});

test("a bad timing line or a missing rep is a bad-output failure", async () => {
  const dir = await scratch();
  try {
    const twoReps = await buildC(`#include <stdio.h>\nint main(void) { puts("rep 0.1\\nrep 0.2\\nchecksum 1"); return 0; }`, dir);
    await assert.rejects(toolFor("native", { reps: 7 }).run(twoReps, context(dir)), (e) => e instanceof RunFailure && e.reason === "bad-output" && /expected 7/.test(e.message));
    const badRep = await buildC(`#include <stdio.h>\nint main(void) { puts("rep fast"); return 0; }`, dir);
    await assert.rejects(toolFor("native").run(badRep, context(dir)), (e) => e instanceof RunFailure && e.reason === "bad-output" && /rep fast/.test(e.message));
  } finally {
    await removeScratch(dir);
  }
});

test("summary statistics and the output protocol", () => {
  assert.deepEqual(summarizeReps([3, 1, 2, 4]), { runtime_min_s: 1, runtime_median_s: 2.5, runtime_mean_s: 2.5, runtime_cv: Math.sqrt(5 / 3) / 2.5, reps: 4 });
  assert.equal(summarizeReps([2]).runtime_cv, 0);
  const out = parseProgramOutput("rep 1e-3\nrep 2e-3\nchecksum 00ff\nflops=10\nhello\nrep -1\n");
  assert.deepEqual(out, { reps: [0.001, 0.002], checksum: "00ff", stats: { flops: 10 }, badLines: ["rep -1"] });
});
