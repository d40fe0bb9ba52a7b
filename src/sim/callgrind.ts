import { isSimlabError } from "../core/errors.js";
import { RunFailure, type Program, type RunContext, type RunOutput, type Stats, type Tool } from "../core/contracts.js";
import { readCacheGeometry, valgrindCacheArgs } from "./cache-geometry.js";
import { parseCallgrindSummary } from "./callgrind-parse.js";
import type { ToolOptions } from "./options.js";
import { probeValgrind, runValgrind, VALGRIND_RUN_SETUP } from "./valgrind.js";

/**
 * Callgrind collecting only inside the kernel function (`--toggle-collect`), so its counts are `kernel.<Event>`
 * (Ir; with cacheSim/branchSim also cache and branch events). Without a kernel function it collects the whole
 * program as `total.<Event>`.
 */
export function callgrindTool(options: ToolOptions = {}): Tool {
  const valgrind = options.valgrind ?? "valgrind";
  const simArgs = [
    ...(options.cacheSim ? ["--cache-sim=yes", ...valgrindCacheArgs(options.geometry ?? readCacheGeometry())] : []),
    ...(options.branchSim ? ["--branch-sim=yes"] : []),
    ...(options.extraArgs ?? []),
  ];
  return {
    name: "callgrind",
    probe: () => probeValgrind(valgrind),
    cacheKey: () => JSON.stringify({ args: simArgs, run: VALGRIND_RUN_SETUP }),
    async run(program: Program, ctx: RunContext): Promise<RunOutput> {
      const kernel = program.kernelFunction;
      const args = kernel === undefined ? simArgs : [`--toggle-collect=${kernel}`, ...simArgs];
      const run = await runValgrind("callgrind", args, program, ctx, valgrind);
      const prefix = kernel === undefined ? "total" : "kernel";
      const stats: Stats = {};
      try {
        for (const { file, text } of run.outputs) {
          const { events, totals } = parseCallgrindSummary(text, file);
          events.forEach((event, i) => (stats[`${prefix}.${event}`] = (stats[`${prefix}.${event}`] ?? 0) + totals[i]!));
        }
      } catch (e) {
        if (isSimlabError(e)) throw new RunFailure("bad-output", e.message, { command: run.command });
        throw e;
      }
      if (kernel !== undefined && !(stats["kernel.Ir"]! > 0)) {
        throw new RunFailure("bad-output", `callgrind collected nothing inside '${kernel}' (${run.outputs.map((o) => o.file).join(", ")}): is it declared noinline and did it run?`, {
          command: run.command,
        });
      }
      return { stats, checksum: run.checksum, wallSeconds: run.wallSeconds };
    },
  };
}
