import { isSimlabError } from "../core/errors.js";
import { RunFailure, type Program, type RunContext, type RunOutput, type Stats, type Tool } from "../core/contracts.js";
import { readCacheGeometry, valgrindCacheArgs } from "./cache-geometry.js";
import { functionCounts, parseCachegrind, type CachegrindProfile } from "./cachegrind-parse.js";
import type { ToolOptions } from "./options.js";
import { probeValgrind, runValgrind, VALGRIND_RUN_SETUP } from "./valgrind.js";

/** Whole-program counts as `total.<Event>`, the kernel's own as `kernel.<Event>` (summed over traced processes). */
function cachegrindStats(profiles: ReadonlyArray<{ file: string; profile: CachegrindProfile }>, kernel: string | undefined): Stats {
  const stats: Stats = {};
  let kernelFound = false;
  for (const { profile } of profiles) {
    profile.events.forEach((event, i) => (stats[`total.${event}`] = (stats[`total.${event}`] ?? 0) + profile.totals[i]!));
    const own = kernel === undefined ? undefined : functionCounts(profile, kernel);
    if (own) {
      kernelFound = true;
      profile.events.forEach((event, i) => (stats[`kernel.${event}`] = (stats[`kernel.${event}`] ?? 0) + own[i]!));
    }
  }
  if (kernel !== undefined && !kernelFound) {
    throw new RunFailure("bad-output", `function '${kernel}' not found in ${profiles.map((p) => p.file).join(", ")} (expected its fn= block: is it declared noinline and did it run?)`);
  }
  return stats;
}

/** Cachegrind with cache and branch simulation on the host's cache geometry (read from sysfs unless given). */
export function cachegrindTool(options: ToolOptions = {}): Tool {
  const geometry = options.geometry ?? readCacheGeometry();
  const valgrind = options.valgrind ?? "valgrind";
  const args = ["--cache-sim=yes", `--branch-sim=${options.branchSim === false ? "no" : "yes"}`, ...valgrindCacheArgs(geometry), ...(options.extraArgs ?? [])];
  return {
    name: "cachegrind",
    probe: () => probeValgrind(valgrind),
    cacheKey: () => JSON.stringify({ args, run: VALGRIND_RUN_SETUP }),
    async run(program: Program, ctx: RunContext): Promise<RunOutput> {
      const run = await runValgrind("cachegrind", args, program, ctx, valgrind);
      try {
        const profiles = run.outputs.map(({ file, text }) => ({ file, profile: parseCachegrind(text, file) }));
        return { stats: cachegrindStats(profiles, program.kernelFunction), checksum: run.checksum, wallSeconds: run.wallSeconds };
      } catch (e) {
        if (isSimlabError(e)) throw new RunFailure("bad-output", e.message, { command: run.command });
        throw e;
      }
    },
  };
}
