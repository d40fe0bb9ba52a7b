import { test } from "node:test";
import assert from "node:assert/strict";
import { knobDomains, workloadFor, workloadKinds } from "../../src/workloads/index.js";
import { isSimlabError } from "../../src/core/errors.js";
import type { Knobs } from "../../src/core/contracts.js";

function rejects(kind: string, knobs: Knobs, knob: string): void {
  assert.throws(
    () => workloadFor(kind).validate(knobs),
    (e) => isSimlabError(e) && new RegExp(`\\b${knob}\\b`).test(e.message) && e.message.split("\n").length === 1 && !!e.hint,
    `${kind} ${JSON.stringify(knobs)} should be rejected naming ${knob}`,
  );
}

test("bad knobs give one clear error naming the knob and its allowed values", () => {
  rejects("gemm", { order: "ikk" }, "order");
  rejects("gemm", { M: 100, tm: 32 }, "tm");
  rejects("gemm", { unroll: 0 }, "unroll");
  rejects("gemm", { unroll: -2 }, "unroll");
  rejects("gemm", { M: "big" }, "M");
  rejects("gemm", { Mx: 64 }, "Mx");
  rejects("mvm", { order: "diag" }, "order");
  rejects("mvm", { M: 512, N: 100, tile: 64 }, "tile");
  rejects("conv2d", { order: "kcpqr" }, "order");
  rejects("conv2d", { H: 18, R: 3, tp: 5 }, "tp");
  rejects("conv2d", { R: 40 }, "R");
  const error = (() => {
    try {
      workloadFor("gemm").validate({ order: "ikk" });
    } catch (e) {
      return e as Error & { hint?: string };
    }
  })();
  assert.match(error!.hint!, /ijk.*ikj/);
});

test("valid knobs pass, numeric strings are accepted, defaults fill the rest", () => {
  workloadFor("gemm").validate({ M: "64", N: 32, K: 16, order: "kji", tm: 16, tn: 0, tk: 1, unroll: 8 });
  workloadFor("mvm").validate({});
  workloadFor("conv2d").validate({ order: "srqpck", tp: 8, tq: 4, unroll: 2 });
});

test("reference keeps the shape and resets the schedule", () => {
  assert.deepEqual(workloadFor("gemm").reference({ M: 64, N: 32, K: 16, order: "kji", tm: 16, unroll: 4 }), {
    M: 64, N: 32, K: 16, order: "ijk", tm: 0, tn: 0, tk: 0, unroll: 1,
  });
  assert.equal(workloadFor("mvm").reference({ M: 256, order: "col", tile: 16 }).order, "row");
  assert.equal(workloadFor("conv2d").reference({ C: 8, order: "kcrspq" }).C, 8);
});

test("unknown workload kinds list the known ones; every kind documents its knobs", () => {
  assert.throws(() => workloadFor("fft"), (e) => isSimlabError(e) && /fft/.test(e.message) && /gemm, mvm, conv2d, cfile, command/.test(e.hint!));
  assert.deepEqual(workloadKinds(), ["gemm", "mvm", "conv2d", "cfile", "command"]);
  for (const kind of ["gemm", "mvm", "conv2d"]) {
    const domains = knobDomains(kind);
    assert.ok(domains.length >= 4);
    for (const d of domains) assert.ok(d.help.length > 0 && d.default !== undefined, `${kind}.${d.name}`);
    // every default and every suggested value of a knob, alone, is valid
    for (const d of domains) for (const v of d.values ?? []) assert.doesNotThrow(() => workloadFor(kind).validate({ [d.name]: v }), `${kind} ${d.name}=${v}`);
  }
});

test("source is deterministic and carries flags, kernel name and compiler", () => {
  const w = workloadFor("gemm", { flags: ["-O3"] });
  const a = w.source({ M: 32, order: "ikj" });
  assert.deepEqual(w.source({ M: 32, order: "ikj" }), a);
  assert.notEqual(w.source({ M: 32, order: "kij" }).files["kernel.c"], a.files["kernel.c"]);
  assert.deepEqual(a.flags, ["-O3"]);
  assert.equal(a.kernelFunction, "kernel");
  assert.match(a.compiler!, /gcc/);
  assert.match(a.files["kernel.c"]!, /__attribute__\(\(noinline, noclone\)\) void kernel\(void\)/);
});
