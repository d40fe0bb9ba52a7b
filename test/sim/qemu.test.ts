import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunFailure, type Program } from "../../src/core/contracts.js";
import { cachegrindTool } from "../../src/sim/cachegrind.js";
import { readCacheGeometry } from "../../src/sim/cache-geometry.js";
import { qemuTool } from "../../src/sim/qemu/qemu-tool.js";
import { context, removeScratch, scratch } from "./c-fixtures.js";

// A small GEMM with the loop order as a macro, so schedule variants differ in their memory behaviour.
const GEMM = `#include <stdio.h>
#define N 48
static double A[N][N], B[N][N], C[N][N];
__attribute__((noinline)) void kernel(void) {
  for (int x = 0; x < N; x++) for (int y = 0; y < N; y++) for (int z = 0; z < N; z++) LOOP;
}
int main(void) {
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = i + j; B[i][j] = i - j; }
  kernel();
  double s = 0; for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) s += C[i][j] * (i + 1);
  printf("checksum %.0f\\n", s);
  return 0;
}
`;
const SCHEDULES = { ijk: "C[x][y] += A[x][z] * B[z][y]", ikj: "C[x][z] += A[x][y] * B[y][z]", jki: "C[z][x] += A[z][y] * B[y][x]" };

function build(dir: string, name: string, gcc: string, loop: string): Program {
  const src = join(dir, `${name}.c`);
  writeFileSync(src, GEMM.replace("LOOP", loop));
  const binary = join(dir, name);
  execFileSync(gcc, ["-static", "-O2", "-o", binary, src]);
  return { binary, args: [], kernelFunction: "kernel", compiler: gcc, flags: ["-static", "-O2"] };
}

test("qemu plugin agrees with cachegrind on x86-64 kernel Ir (0.5 %), D1mr (10 %), Bc (2 %) and checksum", async () => {
  const dir = await scratch();
  try {
    const geometry = readCacheGeometry();
    const qemu = qemuTool({ geometry });
    const cg = cachegrindTool({ geometry, branchSim: true });
    for (const [name, loop] of Object.entries(SCHEDULES)) {
      const program = build(dir, name, "gcc", loop);
      const q = await qemu.run(program, context(join(dir)));
      const c = await cg.run(program, context(join(dir)));
      const ir = q.stats["kernel.Ir"]!, cir = c.stats["kernel.Ir"]!;
      assert.ok(Math.abs(ir - cir) <= 0.005 * cir, `${name}: qemu kernel.Ir ${ir} vs cachegrind ${cir}`);
      const d1 = q.stats["kernel.D1mr"]!, cd1 = c.stats["kernel.D1mr"]!;
      assert.ok(Math.abs(d1 - cd1) <= 0.1 * cd1 + 1, `${name}: qemu kernel.D1mr ${d1} vs cachegrind ${cd1}`);
      const bc = q.stats["kernel.Bc"]!, cbc = c.stats["kernel.Bc"]!;
      assert.ok(cbc > 0 && Math.abs(bc - cbc) <= 0.02 * cbc, `${name}: qemu kernel.Bc ${bc} vs cachegrind ${cbc}`);
      assert.ok(q.stats["total.Bc"]! >= bc, `${name}: total.Bc ${q.stats["total.Bc"]} below kernel.Bc ${bc}`);
      assert.equal(q.checksum, c.checksum);
    }
  } finally {
    await removeScratch(dir);
  }
});

test("a missing qemu is an unavailable RunFailure naming qemu-user", async () => {
  const dir = await scratch();
  try {
    const crash = build(dir, "ok", "gcc", "C[x][y] += 1");
    const missing = qemuTool({ qemuPrefix: "/nonexistent/qemu-" });
    await assert.rejects(missing.run(crash, context(dir)), (e) => e instanceof RunFailure && e.reason === "unavailable" && e.message.includes("qemu-user"));
    assert.equal((await missing.probe()).available, false);
  } finally {
    await removeScratch(dir);
  }
});
