import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunFailure, type Program } from "../../src/core/contracts.js";
import { SimlabError } from "../../src/core/errors.js";
import { cachegrindTool } from "../../src/sim/cachegrind.js";
import { readCacheGeometry } from "../../src/sim/cache-geometry.js";
import { qemuTool } from "../../src/sim/qemu/qemu-tool.js";
import { pluginHash } from "../../src/sim/qemu/plugin-build.js";
import { context, processesMentioning, removeScratch, scratch } from "./c-fixtures.js";

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

const CROSS_FLAGS = ["-static", "-O2", "-ffp-contract=off"];

function compile(dir: string, name: string, gcc: string, source: string, flags = ["-static", "-O2"]): Program {
  const src = join(dir, `${name}.c`);
  writeFileSync(src, source);
  const binary = join(dir, name);
  execFileSync(gcc, [...flags, "-o", binary, src]);
  return { binary, args: [], kernelFunction: "kernel", compiler: gcc, flags };
}

function build(dir: string, name: string, gcc: string, loop: string, flags?: string[]): Program {
  return compile(dir, name, gcc, GEMM.replace("LOOP", loop), flags);
}

/** Dies only in the simulated run ("sim" argument); volatile keeps gcc from deleting the faulting store as UB. */
const CRASH = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
__attribute__((noinline)) void kernel(int *volatile p, int abrt) { if (abrt) abort(); *p = 1; }
int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[argc - 1], "sim")) kernel(0, ABRT);
  printf("checksum 1\\n");
  return 0;
}
`;

const FOREVER = `volatile unsigned long sink;
__attribute__((noinline)) void kernel(void) { for (;;) sink++; }
int main(void) { kernel(); return 0; }
`;

/** Exactly 1000 loop-closing conditional branches on every ISA (volatile stops unrolling into fewer). */
const BRANCHES = `#include <stdio.h>
volatile int sink;
__attribute__((noinline)) void kernel(int n) { for (int i = 0; i < n; i++) sink = i; }
volatile int n = 1000;
int main(void) { kernel(n); printf("checksum %d\\n", sink); return 0; }
`;

const CROSS = { x86_64: "gcc", aarch64: "aarch64-linux-gnu-gcc", riscv64: "riscv64-linux-gnu-gcc" };

test("qemu plugin agrees with cachegrind on x86-64 kernel Ir (0.5 %), D1mr (10 %), Bc (2 %) and checksum", async () => {
  const dir = await scratch();
  try {
    const geometry = readCacheGeometry();
    const qemu = qemuTool({ geometry });
    const cg = cachegrindTool({ geometry, branchSim: true });
    // The three schedules static, and one as a dynamic PIE (how the gemm workload builds for the host): qemu
    // loads it at a base of its own, which the plugin must shift the kernel's range by.
    const variants = [...Object.entries(SCHEDULES).map(([name, loop]) => [name, loop, ["-static", "-O2"]] as const), ["ijk-pie", SCHEDULES.ijk, ["-O2", "-fPIE", "-pie"]] as const];
    for (const [name, loop, flags] of variants) {
      const program = build(dir, name, "gcc", loop, [...flags]);
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

test("a guest that segfaults or aborts is a crash RunFailure with a one-line message naming the signal", async () => {
  const dir = await scratch();
  try {
    const qemu = qemuTool({ cacheModel: false });
    for (const [name, abrt, signal] of [["segv", 0, "SIGSEGV"], ["abrt", 1, "SIGABRT"]] as const) {
      const program = compile(dir, name, "gcc", CRASH.replace("ABRT)", `${abrt})`));
      await assert.rejects(qemu.run(program, context(dir)), (e) => {
        assert.ok(e instanceof RunFailure, String(e));
        assert.equal(e.reason, "crash", e.message);
        assert.ok(!e.message.includes("\n"), `not one line: ${e.message}`);
        assert.ok(e.message.includes(signal) && e.message.includes(program.binary), e.message);
        return true;
      });
    }
  } finally {
    await removeScratch(dir);
  }
});

test("a guest that never ends is a timeout RunFailure and leaves no qemu process", async () => {
  const dir = await scratch();
  try {
    const program = compile(dir, "forever", "gcc", FOREVER);
    const started = Date.now();
    await assert.rejects(qemuTool().run(program, context(dir, 1500)), (e) => e instanceof RunFailure && e.reason === "timeout");
    assert.ok(Date.now() - started < 15_000, "the timeout did not stop the run promptly");
    assert.deepEqual(processesMentioning(program.binary), []);
  } finally {
    await removeScratch(dir);
  }
});

test("aarch64 and riscv64 static binaries run under qemu-<isa> with the x86 checksum, D1mr and branch counts", async () => {
  const dir = await scratch();
  try {
    const qemu = qemuTool({ geometry: readCacheGeometry() });
    const results: Record<string, { checksum?: string; d1mr: number }> = {};
    for (const [isa, gcc] of Object.entries(CROSS)) {
      const gemm = await qemu.run(build(dir, `gemm-${isa}`, gcc, SCHEDULES.ikj, CROSS_FLAGS), context(dir));
      for (const event of ["Ir", "Dr", "Dw", "Bc", "D1mr"]) assert.ok(gemm.stats[`kernel.${event}`]! > 0, `${isa}: kernel.${event} = ${gemm.stats[`kernel.${event}`]}`);
      results[isa] = { checksum: gemm.checksum, d1mr: gemm.stats["kernel.D1mr"]! };
      const loop = await qemu.run(compile(dir, `loop-${isa}`, gcc, BRANCHES, CROSS_FLAGS), context(dir));
      const bc = loop.stats["kernel.Bc"]!;
      assert.ok(bc >= 1000 && bc <= 1002, `${isa}: kernel.Bc ${bc} for a 1000-iteration loop`);
      assert.equal(loop.checksum, "999");
    }
    assert.ok(results.x86_64!.checksum, "x86 printed no checksum");
    for (const isa of ["aarch64", "riscv64"]) {
      assert.equal(results[isa]!.checksum, results.x86_64!.checksum, `${isa} checksum`);
      // The same data accesses hit the same simulated D1, whatever the ISA.
      assert.ok(Math.abs(results[isa]!.d1mr - results.x86_64!.d1mr) <= 0.1 * results.x86_64!.d1mr, `${isa} D1mr ${results[isa]!.d1mr} vs x86 ${results.x86_64!.d1mr}`);
    }
  } finally {
    await removeScratch(dir);
  }
});

test("cacheModel: false counts the same Ir/Dr/Bc without cache events, and is part of version and cache key", async () => {
  const dir = await scratch();
  try {
    const geometry = readCacheGeometry();
    const program = build(dir, "ijk", "gcc", SCHEDULES.ijk);
    const withCache = qemuTool({ geometry }), countsOnly = qemuTool({ geometry, cacheModel: false });
    const a = await withCache.run(program, context(dir)), b = await countsOnly.run(program, context(dir));
    for (const event of ["Ir", "Dr", "Dw", "Bc"]) assert.equal(b.stats[`kernel.${event}`], a.stats[`kernel.${event}`], event);
    assert.ok(a.stats["kernel.D1mr"]! > 0);
    assert.equal(b.stats["kernel.D1mr"], undefined);
    assert.notEqual(withCache.cacheKey(), countsOnly.cacheKey());
    const info = await withCache.probe();
    assert.ok(info.available && info.version!.includes(pluginHash()) && info.version!.includes(`D1 ${geometry.D1.size}:${geometry.D1.ways}:${geometry.D1.line}`), info.version);
    assert.match(info.version!, /qemu-x86_64 version \d/);
    assert.throws(() => qemuTool({ cacheModel: "yes" as unknown as boolean }), (e) => e instanceof SimlabError && /cacheModel must be true or false/.test(e.message) && !e.message.includes("\n"));
  } finally {
    await removeScratch(dir);
  }
});
