import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { toolFor } from "../../src/sim/index.js";
import { workloadFor } from "../../src/workloads/index.js";
import { context, removeScratch, scratch } from "./c-fixtures.js";

// Counts must not depend on where a run happens (a local pool, a Slurm node): without a fixed environment a
// 3 kB larger environment or a longer run folder moved this GEMM's kernel D1mr (958, 950, 947).
test("cachegrind counts are the same under a larger environment and in a longer folder", async () => {
  const dir = await scratch("simlab-fixed-env-");
  const saved = process.env.SIMLAB_TEST_PADDING;
  try {
    const gemm = workloadFor("gemm", {});
    const knobs = { M: 64, N: 64, K: 64, order: "ikj", tn: 16, unroll: 4 };
    const results = [];
    for (const [i, [folder, padding]] of ([["a", 0], ["a", 3000], ["b".repeat(60), 0]] as const).entries()) {
      const build = join(dir, `${folder}-${i}`);
      await mkdir(join(build, "run"), { recursive: true });
      const program = await gemm.build(knobs, build, new AbortController().signal);
      process.env.SIMLAB_TEST_PADDING = "x".repeat(padding);
      results.push((await toolFor("cachegrind").run(program, context(join(build, "run")))).stats);
    }
    assert.ok(results[0]!["kernel.D1mr"]! > 0 && results[0]!["total.Ir"]! > results[0]!["kernel.Ir"]!);
    assert.deepEqual(results[1], results[0], "3 kB more environment");
    assert.deepEqual(results[2], results[0], "a 60-character longer folder");
  } finally {
    if (saved === undefined) delete process.env.SIMLAB_TEST_PADDING;
    else process.env.SIMLAB_TEST_PADDING = saved;
    await removeScratch(dir);
  }
});
