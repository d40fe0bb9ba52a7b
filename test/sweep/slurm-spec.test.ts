import assert from "node:assert/strict";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { parseSpec, specFromArgs } from "../../src/sweep/spec.js";
import { progressText } from "../../src/sweep/progress.js";

const good = { name: "g", workloads: [{ kind: "gemm", space: { M: [64], order: ["ijk", "ikj"] } }], tools: ["native", "cachegrind"] };

function error(run: () => unknown): { message: string; hint?: string } {
  try {
    run();
  } catch (e) {
    assert.ok(isSimlabError(e), `expected a SimlabError, got ${String(e)}`);
    return e;
  }
  assert.fail("accepted");
}

test("backend.slurm options get their defaults; a spec without backend runs locally", () => {
  assert.equal(parseSpec(good).backend, undefined);
  const spec = parseSpec({ ...good, backend: { slurm: { partition: "debug", timeLimit: "1:00:00", maxConcurrent: 8, sbatchArgs: ["--qos=short"] } } });
  assert.deepEqual(spec.backend!.slurm, {
    partition: "debug",
    account: undefined,
    timeLimit: "1:00:00",
    cpusPerTask: 1,
    maxConcurrent: 8,
    chunk: 4,
    sbatchArgs: ["--qos=short"],
    workdir: undefined,
    command: undefined,
    pollSeconds: 0.5,
  });
  // A parsed spec parses again to itself (runSweep re-validates what it is given).
  assert.deepEqual(parseSpec(spec).backend, spec.backend);
});

test("bad Slurm options are one line naming the field", () => {
  const bad = (slurm: unknown) => error(() => parseSpec({ ...good, backend: { slurm } }, "s.json")).message;
  assert.equal(bad({ chunk: 0 }), "s.json: backend.slurm.chunk: expected an integer ≥ 1, got 0");
  assert.equal(bad({ timeLimit: "an hour" }), 's.json: backend.slurm.timeLimit: expected a Slurm time limit, got "an hour"');
  assert.match(bad({ partiton: "debug" }), /backend\.slurm\.partiton: unknown field \(did you mean 'partition'\?\)/);
  assert.match(bad({ sbatchArgs: "--qos=short" }), /backend\.slurm\.sbatchArgs: expected a list of sbatch options/);
  assert.match(error(() => parseSpec({ ...good, backend: { slrum: {} } }, "s.json")).message, /backend\.slrum: unknown backend \(did you mean 'slurm'\?\)/);
  for (const m of [bad({ chunk: 0 }), bad({ maxConcurrent: 1.5 })]) assert.ok(!m.includes("\n"));
});

test("--backend slurm|local overrides the spec's backend; anything else is refused with a suggestion", () => {
  const inline = { workload: "gemm", space: "M=64 order=ijk", tools: ["cachegrind"] };
  assert.equal(specFromArgs(inline).backend, undefined);
  assert.equal(specFromArgs({ ...inline, backend: "slurm" }).backend!.slurm.chunk, 4);
  assert.equal(specFromArgs({ ...inline, backend: "local" }).backend, undefined);
  const e = error(() => specFromArgs({ ...inline, backend: "slurmm" }));
  assert.equal(e.message, "--backend: unknown backend 'slurmm' (did you mean 'slurm'?)");
});

test("the progress line shows a cluster's queued and running runs while it runs", () => {
  const p = { sweep: "s", total: 10, done: 2, failed: 1, cached: 3, running: 2, elapsedSeconds: 5, etaSeconds: 4, finished: false };
  assert.doesNotMatch(progressText(p), /queued/);
  assert.match(progressText({ ...p, queued: 2 }), /6\/10 · 2 done · 1 failed · 3 cached · 2 queued · 2 running · ETA 0:04/);
  assert.doesNotMatch(progressText({ ...p, queued: 0, finished: true }), /queued/);
});
