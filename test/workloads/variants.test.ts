import { test } from "node:test";
import assert from "node:assert/strict";
import { workloadFor } from "../../src/workloads/index.js";
import { toolFor } from "../../src/sim/index.js";
import { VARIANTS } from "./variants.js";
import { context, removeScratch, scratch } from "../sim/c-fixtures.js";


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
