import { isSimlabError, SimlabError } from "../core/errors.js";
import { RunFailure, type Program, type RunContext, type RunOutput, type Stats, type Tool, type ToolInfo } from "../core/contracts.js";
import { instructionCounts } from "./callgrind-instr-parse.js";
import { basicBlocks, disassembleFunction, type BasicBlock } from "./disassembly.js";
import { probeLlvmMca, regionsAssembly, runLlvmMca, type LlvmMcaSetup, type RegionSummary } from "./llvm-mca.js";
import type { ToolOptions } from "./options.js";
import { probeValgrind, runValgrind } from "./valgrind.js";
import { readCacheGeometry } from "./cache-geometry.js";
import { elfIsa, type QemuIsa } from "./qemu/elf-machine.js";
import { readInstructionCounts, runUnderQemu } from "./qemu/qemu-tool.js";
import { join } from "node:path";

/**
 * Binaries of another ISA than the host's: llvm's target triple, the CPU modelled when the options name
 * none, and the cross objdump.
 */
export const CROSS_TARGETS: Readonly<Record<Exclude<QemuIsa, "x86_64">, { mtriple: string; mcpu: string; objdump: string }>> = {
  aarch64: { mtriple: "aarch64", mcpu: "neoverse-n1", objdump: "aarch64-linux-gnu-objdump" },
  riscv64: { mtriple: "riscv64", mcpu: "sifive-u74", objdump: "riscv64-linux-gnu-objdump" },
};

/** llvm-mca's default; each block is simulated this many times back to back. */
const ITERATIONS = 100;
/** A block is latency-bound when its simulated cycles per iteration exceed its resource bound by this factor. */
export const LATENCY_BOUND_RATIO = 1.25;

/** A block that ran, with how often and what llvm-mca estimates for one pass through it. */
export interface WeightedBlock {
  count: number;
  summary: RegionSummary;
}

/**
 * Kernel statistics from weighted block estimates (all `kernel.` scoped):
 * cycles = Σ count · cycles per iteration; uops, instructions likewise; ipc = instructions / cycles;
 * throughput_cycles = Σ count · block reciprocal throughput (the bound if only ports and dispatch limited it);
 * latency_bound_share = the share of cycles spent in blocks whose cycles exceed that bound by LATENCY_BOUND_RATIO
 * (dependency chains, e.g. one accumulator of a reduction); blocks = blocks that ran.
 */
export function mcaStats(blocks: readonly WeightedBlock[]): Stats {
  let cycles = 0;
  let uops = 0;
  let instructions = 0;
  let throughput = 0;
  let latencyBound = 0;
  for (const { count, summary: s } of blocks) {
    if (s.iterations <= 0) continue;
    const perIteration = s.totalCycles / s.iterations;
    cycles += count * perIteration;
    uops += (count * s.totalUops) / s.iterations;
    instructions += (count * s.instructions) / s.iterations;
    throughput += count * s.blockRThroughput;
    if (perIteration > LATENCY_BOUND_RATIO * s.blockRThroughput) latencyBound += count * perIteration;
  }
  return {
    "kernel.cycles": cycles,
    "kernel.uops": uops,
    "kernel.instructions": instructions,
    "kernel.ipc": cycles > 0 ? instructions / cycles : 0,
    "kernel.throughput_cycles": throughput,
    "kernel.latency_bound_share": cycles > 0 ? latencyBound / cycles : 0,
    "kernel.blocks": blocks.length,
  };
}

function checkOptions(options: ToolOptions): void {
  for (const key of ["mcpu", "mtriple", "llvmMca"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "string" || !/^[\w.+-]+$/.test(value))) {
      throw new SimlabError(`mca: option ${key} must be a word like "znver3", got ${JSON.stringify(value)}`, `e.g. "options": {"tools": {"mca": {"mcpu": "znver3"}}}; list CPUs with llvm-mca-16 -mcpu=help`);
    }
  }
}

/**
 * llvm-mca's cycle estimate of the kernel: callgrind (`--dump-instr=yes`, collecting inside the kernel only)
 * counts how often each instruction ran; objdump splits the kernel into basic blocks; llvm-mca estimates each
 * executed block's cycles per iteration on `mcpu` (default: the host as llvm sees it, e.g. znver3); the
 * estimates are weighted by the blocks' counts (see `mcaStats`). Needs a kernel function.
 */
export function mcaTool(options: ToolOptions = {}): Tool {
  checkOptions(options);
  const valgrind = options.valgrind ?? "valgrind";
  let probed: Promise<ToolInfo & { setup?: LlvmMcaSetup }> | undefined;
  const probeMca = () => (probed ??= probeLlvmMca({ executable: options.llvmMca, mcpu: options.mcpu, mtriple: options.mtriple }));
  const crossProbes = new Map<string, Promise<ToolInfo & { setup?: LlvmMcaSetup }>>();
  const probeCross = (isa: keyof typeof CROSS_TARGETS) => {
    let probe = crossProbes.get(isa);
    if (!probe) {
      const target = CROSS_TARGETS[isa];
      probe = probeLlvmMca({ executable: options.llvmMca, mcpu: options.mcpu ?? target.mcpu, mtriple: options.mtriple ?? target.mtriple });
      crossProbes.set(isa, probe);
    }
    return probe;
  };
  /**
   * Another ISA: simlab's QEMU plugin (counters only) counts each kernel instruction's executions, the cross
   * objdump splits the kernel into blocks, llvm-mca models them on that ISA's CPU.
   */
  const crossRun = async (program: Program, ctx: RunContext, isa: keyof typeof CROSS_TARGETS, kernel: string, started: number): Promise<RunOutput> => {
    const target = CROSS_TARGETS[isa];
    const mca = await probeCross(isa);
    if (!mca.setup) throw new RunFailure("unavailable", mca.reason ?? "llvm-mca unavailable");
    const countsFile = join(ctx.workDir, "qemu-counts.txt");
    const run = await runUnderQemu(program, ctx, { geometry: readCacheGeometry(), cacheModel: false, prefix: options.qemuPrefix ?? "qemu-", countsFile });
    const counts = await readInstructionCounts(countsFile);
    if (counts.size === 0) throw new RunFailure("bad-output", `qemu counted nothing inside '${kernel}': is it declared noinline and did it run?`, { command: run.command });
    const blocks = basicBlocks(await disassembleFunction(program.binary, kernel, ctx.signal, target.objdump, isa));
    const executed = executedBlocks(blocks, counts);
    const summaries = await runLlvmMca(regionsAssembly(executed), mca.setup, ctx, ITERATIONS);
    const weighted = executed.flatMap(({ name, count }) => {
      const summary = summaries.get(name);
      return summary ? [{ count, summary }] : [];
    });
    return { stats: mcaStats(weighted), checksum: run.checksum, wallSeconds: (performance.now() - started) / 1000 }; // qemu + objdump + llvm-mca
  };
  return {
    name: "mca",
    async probe(): Promise<ToolInfo> {
      const [vg, mca] = await Promise.all([probeValgrind(valgrind), probeMca()]);
      if (!vg.available) return vg;
      if (!mca.available) return { available: false, reason: mca.reason };
      return { available: true, version: `${vg.version}; ${mca.version}` };
    },
    cacheKey: () => JSON.stringify({ mcpu: options.mcpu ?? "host", mtriple: options.mtriple, iterations: ITERATIONS, ratio: LATENCY_BOUND_RATIO, cross: CROSS_TARGETS }),
    async run(program: Program, ctx: RunContext): Promise<RunOutput> {
      const started = performance.now();
      const kernel = program.kernelFunction;
      if (kernel === undefined) throw new RunFailure("bad-output", "mca needs the program's kernel function (a noinline function named by the workload's kernel option)");
      const isa = elfIsa(program.binary);
      if (isa !== "x86_64") return crossRun(program, ctx, isa, kernel, started);
      const mca = await probeMca();
      if (!mca.setup) throw new RunFailure("unavailable", mca.reason ?? "llvm-mca unavailable");
      const run = await runValgrind("callgrind", ["--dump-instr=yes", `--toggle-collect=${kernel}`], program, ctx, valgrind, "mca (through callgrind)");
      const counts = new Map<number, number>();
      try {
        for (const { file, text } of run.outputs) for (const [address, n] of instructionCounts(text, file, kernel)) counts.set(address, (counts.get(address) ?? 0) + n);
      } catch (e) {
        if (isSimlabError(e)) throw new RunFailure("bad-output", e.message, { command: run.command });
        throw e;
      }
      if (counts.size === 0) throw new RunFailure("bad-output", `callgrind counted nothing inside '${kernel}': is it declared noinline and did it run?`, { command: run.command });
      const blocks = basicBlocks(await disassembleFunction(program.binary, kernel, ctx.signal));
      const executed = executedBlocks(blocks, counts);
      const summaries = await runLlvmMca(regionsAssembly(executed), mca.setup, ctx, ITERATIONS);
      const weighted = executed.flatMap(({ name, count }) => {
        const summary = summaries.get(name);
        return summary ? [{ count, summary }] : [];
      });
      return { stats: mcaStats(weighted), checksum: run.checksum, wallSeconds: (performance.now() - started) / 1000 }; // callgrind + objdump + llvm-mca
    },
  };
}

/**
 * The blocks that ran, each with its execution count (that of its first instruction). Callgrind's addresses
 * are offsets in the object file, as objdump prints them; if the object was mapped elsewhere, the kernel's
 * entry (always executed, and its lowest executed address) aligns the two.
 */
function executedBlocks(blocks: readonly BasicBlock[], counts: ReadonlyMap<number, number>): Array<{ name: string; block: BasicBlock; count: number }> {
  const entry = blocks[0]!.start;
  const shift = counts.has(entry) ? 0 : Math.min(...counts.keys()) - entry;
  const found = blocks.filter((b) => counts.has(b.start + shift)).length;
  if (found === 0) throw new RunFailure("bad-output", "callgrind's instruction addresses do not match the kernel's disassembly");
  return blocks.flatMap((block, i) => {
    const count = counts.get(block.start + shift) ?? 0;
    return count > 0 ? [{ name: `b${i}`, block, count }] : [];
  });
}
