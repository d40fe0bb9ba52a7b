import { test } from "node:test";
import assert from "node:assert/strict";
import { workloadFor } from "../../src/workloads/index.js";
import { readCacheGeometry, toolFor } from "../../src/sim/index.js";
import type { Knobs, Program, RunOutput } from "../../src/core/contracts.js";
import { VARIANTS } from "../workloads/variants.js";
import { context, removeScratch, scratch } from "./c-fixtures.js";

async function simulate(kind: string, knobs: Knobs, tool: string): Promise<RunOutput & { program: Program }> {
  const buildDir = await scratch();
  const workDir = await scratch();
  try {
    const program = await workloadFor(kind).build(knobs, buildDir, new AbortController().signal);
    return { ...(await toolFor(tool).run(program, context(workDir))), program };
  } finally {
    await removeScratch(buildDir);
    await removeScratch(workDir);
  }
}

test("cachegrind: every variant computes its reference's checksum; kernel counts are below totals", async () => {
  const tool = toolFor("cachegrind");
  assert.deepEqual(await tool.probe().then((i) => i.available), true);
  for (const [kind, knobs] of VARIANTS.filter((_, i) => i % 2 === 0)) {
    const reference = await simulate(kind, workloadFor(kind).reference(knobs), "cachegrind");
    const variant = await simulate(kind, knobs, "cachegrind");
    assert.equal(variant.checksum, reference.checksum, `${kind} ${JSON.stringify(knobs)}`);
    for (const event of ["Ir", "Dr", "Dw", "D1mr", "Bc", "Bcm"]) {
      assert.ok(Number.isFinite(variant.stats[`kernel.${event}`]), `kernel.${event}`);
      assert.ok(variant.stats[`kernel.${event}`]! <= variant.stats[`total.${event}`]!, `kernel.${event} ≤ total`);
    }
    assert.ok(variant.stats["kernel.Ir"]! < variant.stats["total.Ir"]!);
    assert.ok(variant.stats["kernel.Ir"]! > 0);
  }
});

test("cachegrind: kernel counts scale with the problem size; schedules change them", async () => {
  const small = await simulate("gemm", { M: 32, N: 32, K: 32 }, "cachegrind");
  const large = await simulate("gemm", { M: 64, N: 64, K: 64 }, "cachegrind");
  const ratio = large.stats["kernel.Ir"]! / small.stats["kernel.Ir"]!;
  assert.ok(ratio > 7 && ratio < 9, `8× the multiply-adds should be ~8× the instructions, got ${ratio.toFixed(2)}`);
  assert.ok(large.stats["kernel.Dr"]! > 7 * small.stats["kernel.Dr"]!);
  const reordered = await simulate("gemm", { M: 64, N: 64, K: 64, order: "ikj", unroll: 4 }, "cachegrind");
  assert.notEqual(reordered.stats["kernel.Ir"], large.stats["kernel.Ir"]);
});

test("callgrind collects the kernel only, matching cachegrind's kernel instruction count", async () => {
  const knobs = { M: 48, N: 32, K: 16, order: "kij", tm: 16 };
  const callgrind = await simulate("gemm", knobs, "callgrind");
  const cachegrind = await simulate("gemm", knobs, "cachegrind");
  assert.deepEqual(Object.keys(callgrind.stats), ["kernel.Ir"]);
  assert.equal(callgrind.stats["kernel.Ir"], cachegrind.stats["kernel.Ir"]);
  assert.equal(callgrind.checksum, cachegrind.checksum);
});

test("cacheKey follows the simulated geometry and options", () => {
  const host = readCacheGeometry();
  const bigger = { ...host, LL: { ...host.LL, size: host.LL.size * 2 } };
  assert.equal(toolFor("cachegrind").cacheKey(), toolFor("cachegrind", { geometry: host }).cacheKey());
  assert.notEqual(toolFor("cachegrind", { geometry: bigger }).cacheKey(), toolFor("cachegrind").cacheKey());
  assert.notEqual(toolFor("cachegrind", { branchSim: false }).cacheKey(), toolFor("cachegrind").cacheKey());
  assert.notEqual(toolFor("callgrind", { cacheSim: true }).cacheKey(), toolFor("callgrind").cacheKey());
  assert.match(toolFor("cachegrind").cacheKey(), new RegExp(`--LL=${host.LL.size},${host.LL.ways},${host.LL.line}`));
});
