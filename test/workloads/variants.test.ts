import { test } from "node:test";
import assert from "node:assert/strict";
import { workloadFor } from "../../src/workloads/index.js";
import { toolFor } from "../../src/sim/index.js";
import type { Knobs } from "../../src/sweep/types.js";
import { context, removeScratch, scratch } from "../sim/c-fixtures.js";

/** A few schedules per operator at small sizes: loop orders, tiles, unrolls (with and without remainders). */
export const VARIANTS: ReadonlyArray<[string, Knobs]> = [
  ["gemm", { M: 32, N: 48, K: 16, order: "ijk", tm: 16, tn: 16, tk: 0, unroll: 1 }],
  ["gemm", { M: 32, N: 48, K: 16, order: "ikj", tm: 0, tn: 0, tk: 0, unroll: 4 }],
  ["gemm", { M: 32, N: 48, K: 16, order: "kji", tm: 8, tn: 24, tk: 8, unroll: 3 }],
  ["gemm", { M: 32, N: 48, K: 16, order: "jki", tm: 32, tn: 0, tk: 4, unroll: 5 }],
  ["mvm", { M: 64, N: 96, order: "col", tile: 0, unroll: 4 }],
  ["mvm", { M: 64, N: 96, order: "row", tile: 16, unroll: 3 }],
  ["mvm", { M: 64, N: 96, order: "col", tile: 32, unroll: 8 }],
  ["conv2d", { C: 4, H: 10, W: 12, K: 3, order: "kcpqrs", tp: 0, tq: 0, unroll: 2 }],
  ["conv2d", { C: 4, H: 10, W: 12, K: 3, order: "kcrspq", tp: 4, tq: 5, unroll: 4 }],
  ["conv2d", { C: 4, H: 10, W: 12, K: 3, order: "sqrpck", tp: 8, tq: 2, unroll: 3 }],
];

test("every variant computes the reference variant's checksum natively", async () => {
  const native = toolFor("native", { reps: 2, warmup: 0 });
  const dir = await scratch();
  try {
    const checksums = new Map<string, string>();
    let index = 0;
    for (const [kind, knobs] of VARIANTS) {
      const workload = workloadFor(kind);
      for (const [role, point] of [["reference", workload.reference(knobs)], ["variant", knobs]] as const) {
        const key = `${kind} ${JSON.stringify(point)}`;
        const buildDir = await scratch();
        const program = await workload.build(point, buildDir, new AbortController().signal);
        const out = await native.run(program, context(dir));
        await removeScratch(buildDir);
        assert.match(out.checksum ?? "", /^[0-9a-f]{16}$/, key);
        assert.equal(out.stats.reps, 2);
        if (role === "reference") checksums.set(kind + index, out.checksum!);
        else assert.equal(out.checksum, checksums.get(kind + index), `${key} differs from its reference`);
      }
      index++;
    }
    const distinct = new Set(checksums.values());
    assert.ok(distinct.size >= 3, "different shapes give different checksums");
  } finally {
    await removeScratch(dir);
  }
});
