/**
 * The qemu tool's cost next to cachegrind's on the same kernel binary (a GEMM variant as a sweep builds it),
 * all timed as whole `<binary> sim` runs through the tools a sweep uses: native (no simulator; the anchor of
 * the slowdowns), cachegrind (simlab's default: cache + branch simulation), qemu counts only
 * (cacheModel: false) and qemu with its cache model. Rounds interleave the four so drift hits all alike; the
 * minimum per tool is reported. Targets: qemu counts ≤ 1.3× cachegrind's time, qemu + cache model ≤ 3×.
 * Run: npx tsc -p . && flock /tmp/simlab-bench.lock nice node dist/bench/run.js qemu
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Program, RunContext, Tool } from "../src/core/contracts.js";
import { runProcess } from "../src/proc/run-process.js";
import { cachegrindTool } from "../src/sim/cachegrind.js";
import { readCacheGeometry } from "../src/sim/cache-geometry.js";
import { qemuTool } from "../src/sim/qemu/qemu-tool.js";
import { buildPlugin } from "../src/sim/qemu/plugin-build.js";
import { workloadFor } from "../src/workloads/index.js";

const ROUNDS = 5;
const SIZES = [96, 192];
const dir = mkdtempSync(join(tmpdir(), "simlab-bench-qemu-"));
const signal = new AbortController().signal;
const context = (): RunContext => ({ signal, timeoutMs: 600_000, workDir: dir });

/** The program alone, as the simulators run it (`sim` mode, one kernel call). */
const native: Pick<Tool, "name" | "run"> = {
  name: "native",
  async run(program: Program) {
    const result = await runProcess(program.binary, [...program.args, "sim"], { signal, timeoutMs: 600_000, cwd: dir });
    if (result.exitCode !== 0) throw new Error(`${program.binary} sim exited with ${result.exitCode}`);
    return { stats: {}, wallSeconds: result.wallSeconds };
  },
};

const geometry = readCacheGeometry();
const tools: [string, Pick<Tool, "name" | "run">][] = [
  ["native", native],
  ["cachegrind", cachegrindTool({ geometry })],
  ["qemu counts", qemuTool({ geometry, cacheModel: false })],
  ["qemu + cache", qemuTool({ geometry })],
];

try {
  await buildPlugin(); // built once, outside the timings
  const loadBefore = loadavg()[0]!;
  console.log(`machine: ${cpus().length} cores, ${execFileSync("qemu-x86_64", ["--version"], { encoding: "utf8" }).split("\n")[0]}`);
  console.log(`GEMM order=ijk, ${ROUNDS} interleaved rounds, minimum wall time of each whole run (start-up included)`);
  console.log(`${"size".padEnd(6)} ${"tool".padEnd(14)} ${"time".padStart(10)} ${"vs native".padStart(10)} ${"vs cachegrind".padStart(14)} ${"target".padStart(8)}`);
  for (const n of SIZES) {
    const workload = workloadFor("gemm");
    const build = join(dir, `gemm-${n}`);
    execFileSync("mkdir", ["-p", build]);
    const program = await workload.build({ M: n, N: n, K: n, order: "ijk", tm: 0, tn: 0, tk: 0, unroll: 1 }, build, signal);
    const best = new Map<string, number>();
    const irs = new Map<string, number | undefined>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, tool] of tools) {
        const out = await tool.run(program, context());
        best.set(label, Math.min(best.get(label) ?? Infinity, out.wallSeconds));
        irs.set(label, out.stats["kernel.Ir"]);
      }
    }
    const nativeS = best.get("native")!, cg = best.get("cachegrind")!;
    for (const [label] of tools) {
      const s = best.get(label)!;
      const target = label === "qemu counts" ? "≤ 1.3×" : label === "qemu + cache" ? "≤ 3×" : "";
      console.log(`${String(n).padEnd(6)} ${label.padEnd(14)} ${`${(s * 1000).toFixed(1)} ms`.padStart(10)} ${`${(s / nativeS).toFixed(1)}×`.padStart(10)} ${`${(s / cg).toFixed(2)}×`.padStart(14)} ${target.padStart(8)}`);
    }
    const qIr = irs.get("qemu counts"), cIr = irs.get("cachegrind");
    if (qIr !== undefined && cIr !== undefined) console.log(`${" ".repeat(7)}kernel.Ir: qemu ${qIr}, cachegrind ${cIr} (${((100 * (qIr - cIr)) / cIr).toFixed(3)} %)`);
  }
  console.log(`load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
