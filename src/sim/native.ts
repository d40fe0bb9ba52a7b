import { cpus } from "node:os";
import { failUnlessSuccess, runProcess, type ProcessResult } from "../proc/run-process.js";
import { RunFailure, type Program, type RunContext, type RunOutput, type Tool, type ToolInfo } from "../core/contracts.js";
import type { ToolOptions } from "./options.js";
import { parseProgramOutput } from "./program-output.js";
import { parseConfirmOptions } from "./confirm.js";
import { summarizeReps } from "./rep-summary.js";
import { refuseForeignIsa } from "./foreign-isa.js";

export const DEFAULT_REPS = 7;
export const DEFAULT_WARMUP = 1;

/**
 * Host measurement: runs `binary args time REPS WARMUP`, pinned with `taskset -c <cpu>` when a CPU is given.
 * The binary times each repetition itself with CLOCK_MONOTONIC (whole-process wall time is ~10 % noisy here),
 * and the stats are min, median, mean and CV of the repetitions, plus any statistics the program printed.
 *
 * With 2 cores, a native run next to a simulation shares caches and memory bandwidth (and its core, if
 * not pinned apart): `exclusive` asks the engine to run native runs alone; pinning to distinct CPUs
 * alone removes only core sharing.
 */
export function nativeTool(options: ToolOptions = {}): Tool {
  const reps = options.reps ?? DEFAULT_REPS;
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  if (options.confirm !== undefined && options.confirm !== false) parseConfirmOptions(options.confirm); // a bad spec fails before any run
  return {
    name: "native",
    exclusive: true,
    async probe(): Promise<ToolInfo> {
      return { available: true, version: `${process.platform}-${process.arch} ${cpus()[0]?.model ?? "unknown cpu"}` };
    },
    cacheKey: () => JSON.stringify({ reps, warmup, cpu: cpus()[0]?.model }),
    async run(program: Program, ctx: RunContext): Promise<RunOutput> {
      refuseForeignIsa(program, (isa, host) => `native timing needs an ${isa} target, this host is ${host}: use a board (options.tools.native.target: {"ssh": "user@board", "isa": "${isa}"}) or simlab import-runtimes`);
      const cpu = ctx.cpu ?? options.cpu;
      const command = [program.binary, ...program.args, "time", String(reps), String(warmup)];
      const [file, ...args] = cpu === undefined ? command : ["taskset", "-c", String(cpu), ...command];
      const result = await runProcess(file!, args, { signal: ctx.signal, timeoutMs: ctx.timeoutMs, cwd: ctx.workDir });
      return timedRunOutput(result, reps);
    },
  };
}

/** Reads a finished `binary … time REPS WARMUP` run (host or board): its rep lines, statistics and checksum. */
export function timedRunOutput(result: ProcessResult, reps: number): RunOutput {
  failUnlessSuccess(result, "crash", "the program");
  const out = parseProgramOutput(result.stdout);
  const details = { command: result.command, exitCode: result.exitCode };
  if (out.badLines.length > 0) throw new RunFailure("bad-output", `unreadable timing line '${out.badLines[0]}' from ${result.command} (expected 'rep <seconds>')`, details);
  if (out.reps.length > 0 && out.reps.length !== reps) {
    throw new RunFailure("bad-output", `expected ${reps} 'rep <seconds>' lines from ${result.command}, got ${out.reps.length}`, details);
  }
  if (out.reps.length === 0 && Object.keys(out.stats).length === 0) {
    throw new RunFailure("bad-output", `no 'rep <seconds>' lines or name=value statistics in the output of ${result.command}`, details);
  }
  const stats = out.reps.length > 0 ? { ...out.stats, ...summarizeReps(out.reps) } : out.stats;
  return { stats, checksum: out.checksum, wallSeconds: result.wallSeconds };
}
