import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Program } from "../../src/core/contracts.js";
import { basicBlocks, parseObjdump, toolFor } from "../../src/sim/index.js";
import { context, removeScratch, scratch } from "./c-fixtures.js";

// The mca tool on AArch64 and RISC-V binaries: counts from simlab's QEMU plugin, blocks from the cross
// objdump, llvm-mca on neoverse-n1 / sifive-u74. Real cross gcc, qemu-user and llvm-mca-16.

const AARCH64 = `00000000004007e0 <kernel>:
  4007e0:\tadrp\tx6, 49b000 <B+0x4790>
  4007f0:\tmov\tx5, #0x0                   \t// #0
  400810:\tld1r\t{v2.2d}, [x3]
  400828:\tstr\tq0, [x1, x0]
  40082c:\tb.ne\t400810 <kernel+0x30>
  400830:\tcbnz\tx5, 4007e0 <kernel>
  400834:\tbic\tx1, x1, x2
  400838:\tret
`;

const RISCV64 = `00000000000106e6 <kernel>:
   106e6:\tauipc\ta3,0x67
   106ea:\tadd\ta3,a3,-366 # 77578 <C+0x180>
   1071a:\tfld\tfa4,0(a4)
   1072e:\tbne\ta5,a3,1071a <kernel+0x34>
   10732:\tbeqz\ta2,106e6 <kernel>
   10736:\tadd\ta1,a1,8
   10748:\tret
`;

test("objdump of AArch64 and RISC-V: comments dropped ('#' immediates kept), branches and their targets found", () => {
  const a = parseObjdump(AARCH64, "aarch64");
  assert.deepEqual(a.map((i) => i.text), ["adrp\tx6, 49b000 <B+0x4790>", "mov\tx5, #0x0", "ld1r\t{v2.2d}, [x3]", "str\tq0, [x1, x0]", "b.ne\t400810 <kernel+0x30>", "cbnz\tx5, 4007e0 <kernel>", "bic\tx1, x1, x2", "ret"]);
  assert.deepEqual(a.map((i) => i.branch), [false, false, false, false, true, true, false, true]);
  assert.equal(a[4]!.target, 0x400810);
  assert.equal(a[5]!.target, 0x4007e0);
  assert.deepEqual(basicBlocks(a).map((b) => b.start), [0x4007e0, 0x400810, 0x400830, 0x400834]);

  const r = parseObjdump(RISCV64, "riscv64");
  assert.equal(r[1]!.text, "add\ta3,a3,-366");
  assert.deepEqual(r.map((i) => i.branch), [false, false, false, true, true, false, true]);
  assert.equal(r[3]!.target, 0x1071a);
  assert.equal(r[4]!.target, 0x106e6);
});

const GEMM = `#include <stdio.h>
#define N 32
static double A[N][N], B[N][N], C[N][N];
__attribute__((noinline)) void kernel(void) {
  for (int i = 0; i < N; i++) for (int k = 0; k < N; k++) for (int j = 0; j < N; j++) C[i][j] += A[i][k] * B[k][j];
}
int main(void) {
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = i + j; B[i][j] = i - j; }
  kernel();
  double s = 0; for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) s += C[i][j] * (i + 1);
  printf("checksum %.0f\\n", s);
  return 0;
}
`;

function build(dir: string, gcc: string): Program {
  const src = join(dir, `${gcc}.c`);
  writeFileSync(src, GEMM);
  const binary = join(dir, gcc);
  const flags = ["-static", "-O2", "-ffp-contract=off"];
  execFileSync(gcc, [...flags, "-o", binary, src]);
  return { binary, args: [], kernelFunction: "kernel", compiler: gcc, flags };
}

test("mca on aarch64 and riscv64 binaries: every executed instruction weighed, cycles on the ISA's CPU, x86 checksum", async () => {
  const dir = await scratch();
  try {
    const mca = toolFor("mca"), qemu = toolFor("qemu", { cacheModel: false });
    const host = await mca.run(build(dir, "gcc"), context(dir));
    for (const gcc of ["aarch64-linux-gnu-gcc", "riscv64-linux-gnu-gcc"]) {
      const program = build(dir, gcc);
      const m = await mca.run(program, context(dir));
      const q = await qemu.run(program, context(dir));
      const instructions = m.stats["kernel.instructions"]!, ir = q.stats["kernel.Ir"]!;
      // Blocks weighed by the plugin's counts add up to the instructions it counted (alignment nops aside).
      assert.ok(instructions > 0 && Math.abs(instructions - ir) <= 0.01 * ir, `${gcc}: mca instructions ${instructions} vs qemu kernel.Ir ${ir}`);
      assert.ok(m.stats["kernel.cycles"]! > 0 && m.stats["kernel.blocks"]! >= 2, `${gcc}: ${JSON.stringify(m.stats)}`);
      assert.ok(m.stats["kernel.ipc"]! > 0.05 && m.stats["kernel.ipc"]! < 8, `${gcc}: ipc ${m.stats["kernel.ipc"]}`);
      assert.equal(m.checksum, host.checksum, `${gcc}: checksum`);
    }
    // The CPU option reaches llvm-mca for a foreign ISA too: a narrower core takes more cycles.
    const a53 = await toolFor("mca", { mcpu: "cortex-a53" }).run(build(dir, "aarch64-linux-gnu-gcc"), context(dir));
    const n1 = await mca.run(build(dir, "aarch64-linux-gnu-gcc"), context(dir));
    assert.equal(a53.stats["kernel.instructions"], n1.stats["kernel.instructions"]);
    assert.notEqual(a53.stats["kernel.cycles"], n1.stats["kernel.cycles"], "cortex-a53 and neoverse-n1 give different cycles");
  } finally {
    await removeScratch(dir);
  }
});
