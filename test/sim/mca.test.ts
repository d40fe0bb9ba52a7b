import { test } from "node:test";
import assert from "node:assert/strict";
import { basicBlocks, instructionCounts, mcaStats, parseObjdump, toolFor } from "../../src/sim/index.js";
import { isSimlabError } from "../../src/core/errors.js";
import { runSweep } from "../../src/sweep/runner.js";
import { workloadFor } from "../../src/workloads/index.js";
import type { Knobs, RunOutput } from "../../src/core/contracts.js";
import { context, removeScratch, scratch } from "./c-fixtures.js";

const CALLGRIND = `positions: instr line
events: Ir
summary: 20
fn=(1) main
0x1000 0 1
cfn=(2) kernel
calls=1 0x1550 0
+4 0 19
fn=(2)
0x1550 0 1
+7 * 1
+3 0 4
-3 0 4
* 0 2
calls=1 0x2000 0
+9 0 100
+2 0 1
`;

test("callgrind --dump-instr: per-instruction counts of one function, compression undone, callee costs left out", () => {
  const counts = instructionCounts(CALLGRIND, "cg.out", "kernel");
  assert.deepEqual([...counts.entries()], [
    [0x1550, 1],
    [0x1557, 7],
    [0x155a, 4],
    [0x1562, 1],
  ]);
  assert.equal(instructionCounts(CALLGRIND, "cg.out", "absent").size, 0);
  assert.throws(() => instructionCounts("positions: line\nevents: Ir\n", "cg.out", "kernel"), (e) => isSimlabError(e) && /not instruction addresses/.test(e.message));
});

const OBJDUMP = `0000000000001550 <kernel>:
    1550:\tmov    0x2b21(%rip),%rax        # 4078 <B>
    1557:\txor    %edi,%edi
    1559:\tnopl   0x0(%rax)
    1560:\taddss  (%rax),%xmm1
    1564:\tadd    $0x4,%rax
    1568:\tcmp    %rsi,%rax
    156b:\tjne    1560 <kernel+0x10>
    156d:\tcall   1030 <memset@plt>
    1572:\tret
`;

test("objdump: instructions without comments; blocks start at the entry, jump targets and after branches", () => {
  const instructions = parseObjdump(OBJDUMP);
  assert.equal(instructions.length, 9);
  assert.equal(instructions[0]!.text, "mov    0x2b21(%rip),%rax");
  assert.equal(instructions[6]!.target, 0x1560);
  assert.ok(instructions[6]!.branch && instructions[7]!.branch && instructions[8]!.branch && !instructions[5]!.branch);
  assert.deepEqual(basicBlocks(instructions).map((b) => [b.start, b.instructions.length]), [
    [0x1550, 3],
    [0x1560, 4],
    [0x156d, 1],
    [0x1572, 1],
  ]);
});

test("mcaStats weights each block's cycles by its count; the latency-bound share counts blocks slower than their resource bound", () => {
  const chain = { iterations: 100, instructions: 800, totalCycles: 300, totalUops: 900, blockRThroughput: 1.5 }; // 3 cycles/iteration
  const wide = { iterations: 100, instructions: 400, totalCycles: 200, totalUops: 400, blockRThroughput: 2 }; // at its bound
  const s = mcaStats([
    { count: 10, summary: chain },
    { count: 30, summary: wide },
  ]);
  assert.equal(s["kernel.cycles"], 90);
  assert.equal(s["kernel.instructions"], 200);
  assert.equal(s["kernel.uops"], 210);
  assert.equal(s["kernel.throughput_cycles"], 75);
  assert.ok(Math.abs(s["kernel.ipc"]! - 200 / 90) < 1e-12);
  assert.ok(Math.abs(s["kernel.latency_bound_share"]! - 30 / 90) < 1e-12);
});

async function mca(knobs: Knobs): Promise<RunOutput> {
  const dir = await scratch();
  try {
    const program = await workloadFor("gemm").build(knobs, dir, new AbortController().signal);
    return await toolFor("mca").run(program, context(dir));
  } finally {
    await removeScratch(dir);
  }
}

test("mca on real gemm variants: a single-accumulator reduction is latency-bound, independent accumulators are not; counts repeat exactly", async () => {
  const info = await toolFor("mca").probe();
  assert.equal(info.available, true, info.reason);
  assert.match(info.version!, /^valgrind-3\.\d+\.\d+; LLVM \d+\.\d+\.\d+ -mcpu=\S+$/);
  const shape = { M: 48, N: 48, K: 48 };
  const chain = await mca({ ...shape, order: "ijk", unroll: 1 }); // C[i][j] += … over k: one dependency chain
  const independent = await mca({ ...shape, order: "ikj", unroll: 4 }); // j innermost: independent updates
  assert.equal(chain.checksum, independent.checksum);
  const c = chain.stats;
  const d = independent.stats;
  assert.ok(c["kernel.latency_bound_share"]! > 0.9, `chain latency-bound share ${c["kernel.latency_bound_share"]}`);
  assert.ok(d["kernel.latency_bound_share"]! < 0.3, `independent latency-bound share ${d["kernel.latency_bound_share"]}`);
  assert.ok(c["kernel.cycles"]! > 1.3 * d["kernel.cycles"]!, `same multiply-adds, cycles ${c["kernel.cycles"]} vs ${d["kernel.cycles"]}`);
  assert.ok(c["kernel.cycles"]! > c["kernel.throughput_cycles"]! * 1.5, "the chain's cycles exceed its resource bound");
  assert.ok(c["kernel.instructions"]! > 48 ** 3 * 4, "every multiply-add's instructions are counted");
  assert.deepEqual((await mca({ ...shape, order: "ijk", unroll: 1 })).stats, c);
});

test("mca: a missing llvm-mca, an unknown CPU or a malformed option is one line with a hint", async () => {
  const missing = await toolFor("mca", { llvmMca: "llvm-mca-nonexistent" }).probe();
  assert.equal(missing.available, false);
  assert.match(missing.reason!, /llvm-mca-nonexistent not found \(apt-get install llvm-16\)/);
  const unknownCpu = await toolFor("mca", { mcpu: "pentium9000" }).probe();
  assert.equal(unknownCpu.available, false);
  assert.match(unknownCpu.reason!, /cannot model -mcpu=pentium9000.*-mcpu=help/);
  assert.throws(() => toolFor("mca", { mcpu: "zen 3" }), (e) => isSimlabError(e) && /option mcpu/.test(e.message) && !!e.hint);
  const dir = await scratch();
  try {
    const spec = { name: "mca-missing", workloads: [{ kind: "gemm", space: { M: [16], N: [16], K: [16] } }], tools: ["mca"], options: { tools: { mca: { llvmMca: "llvm-mca-nonexistent" } } } };
    await assert.rejects(runSweep(spec, { db: `${dir}/s.db` }), (e) => isSimlabError(e) && !e.message.includes("\n") && /apt-get install llvm-16/.test(e.message));
  } finally {
    await removeScratch(dir);
  }
});
