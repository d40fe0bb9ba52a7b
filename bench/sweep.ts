/**
 * Sweep engine benchmark (not a timed test). Prints figures with their anchors from the same run:
 *  1. A simulator sweep (GEMM, cachegrind, jobs = cores): core utilisation = sum of the builds' and runs' own
 *     wall times / (sweep wall time × jobs) — target ≥ 95 %; engine overhead = sweep wall time over the ideal
 *     (that sum / jobs) — target ≤ 2 %; also the node process's CPU time (engine + the adapters' spawning and
 *     output parsing, which run in-process) as a share of the runs' time.
 *  2. A fully cached re-run of 1,000 points (populated by really running a cheap `cmd:` tool on a `command`
 *     workload) — target ≤ 1 s; anchor: the populating run.
 *  3. Planning 1,000 GEMM points (C generation + cache keys + one store query), the per-point cost a cached
 *     re-run of generated C pays.
 * Run: npx tsc -p . && node dist/bench/sweep.js
 */
import { mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/store/index.js";
import { catalog } from "../src/sweep/catalog.js";
import { runSweep } from "../src/sweep/index.js";
import { planSweep, prepareTools } from "../src/sweep/plan.js";
import { expandPoints } from "../src/sweep/points.js";
import { parseSpec } from "../src/sweep/spec.js";

const dir = mkdtempSync(join(tmpdir(), "simlab-bench-sweep-"));
const jobs = os.availableParallelism();
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function utilisation(): Promise<void> {
  const spec = {
    name: "bench-util",
    workloads: [{ kind: "gemm", space: { M: [64], N: [64], K: [64], order: ["ijk", "ikj", "jik", "jki", "kij", "kji"], tn: [0, 16], unroll: [1, 2, 4] } }],
    tools: ["cachegrind"],
  };
  const cpu0 = process.cpuUsage();
  const s = await runSweep(spec, { db: join(dir, "util.db"), jobs });
  const cpu = process.cpuUsage(cpu0);
  const engineCpu = (cpu.user + cpu.system) / 1e6;
  console.log(`1. simulator sweep: ${s.points} points × cachegrind, jobs ${jobs}`);
  console.log(`   wall ${s.wallSeconds.toFixed(2)} s; anchor: sum of builds' + runs' own times ${s.workSeconds.toFixed(2)} s (ideal wall ${(s.workSeconds / jobs).toFixed(2)} s)`);
  console.log(`   core utilisation ${pct(s.workSeconds / (s.wallSeconds * jobs))} of the ${jobs}-core limit (target ≥ 95 %)`);
  console.log(`   engine overhead: wall vs ideal +${pct(s.wallSeconds / (s.workSeconds / jobs) - 1)} (target ≤ 2 %); node process CPU (engine + adapters spawning and parsing) ${engineCpu.toFixed(2)} s = ${pct(engineCpu / s.workSeconds)} of the runs' time`);
}

async function cachedRerun(): Promise<void> {
  const n = 1000;
  const spec = {
    name: "bench-cached",
    workloads: [{ kind: "command", space: { n: Array.from({ length: n }, (_, i) => i + 1) }, options: { run: "echo insns={n} #" } }],
    tools: ["cmd:sh {args}"],
  };
  const db = join(dir, "cached.db");
  const first = await runSweep(spec, { db, jobs });
  const t0 = performance.now();
  const again = await runSweep(spec, { db, jobs });
  const rerun = (performance.now() - t0) / 1000;
  if (again.cached !== n || again.done !== 0) throw new Error(`expected ${n} cached runs, got ${JSON.stringify(again)}`);
  console.log(`2. fully cached re-run of ${n} points: ${rerun.toFixed(3)} s (target ≤ 1 s); anchor: populating run ${first.wallSeconds.toFixed(2)} s (${first.done} runs) → ${(first.wallSeconds / rerun).toFixed(0)}× faster`);
}

async function planGemm(): Promise<void> {
  const raw = {
    name: "bench-plan",
    workloads: [{ kind: "gemm", space: { M: [64, 128], N: [64, 128], K: [64, 128], order: ["ijk", "ikj", "jik", "jki", "kij", "kji"], tm: [0, 16, 32], tn: [0, 16], tk: [0, 16], unroll: [1, 2, 4] }, sample: { n: 1000, seed: 1 } }],
    tools: ["native", "cachegrind"],
  };
  const spec = parseSpec(raw);
  const db = openStore(join(dir, "plan.db"));
  const tools = await prepareTools(spec, catalog);
  const t0 = performance.now();
  const points = expandPoints(spec, catalog);
  const plan = planSweep(db, spec, points, tools);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  console.log(`3. planning ${points.length} GEMM points × 2 tools (C generation, ${plan.runs.length} cache keys, store lookup): ${seconds.toFixed(3)} s`);
}

try {
  await utilisation();
  await cachedRerun();
  await planGemm();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
