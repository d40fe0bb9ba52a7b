import { confirmGroup, candidates, parseConfirmOptions, type ConfirmOptions } from "../sim/confirm.js";
import { amendRunStats, finishedRunStats } from "../store/amend.js";
import type { Store } from "../store/open.js";
import type { SweepPlan, Variant } from "./plan.js";
import type { SweepSpec } from "./spec.js";
import { RunFailure, type Program } from "../core/contracts.js";

/** The spec's confirmation settings (`options.tools.native.confirm`), or undefined when it asks for none. */
export function confirmSettings(spec: SweepSpec): ConfirmOptions | undefined {
  const raw = spec.options.tools.native?.confirm;
  return raw === undefined || raw === false || !spec.tools.includes("native") ? undefined : parseConfirmOptions(raw);
}

export interface ConfirmContext {
  confirm: ConfirmOptions;
  /** The runner's builds (already done for every measured variant). */
  build(variant: Variant): Promise<Program | RunFailure>;
  /** A fresh scratch folder for one run. */
  workDir(): string;
  signal: AbortSignal;
  timeoutMs: number;
  cpu?: number;
}

/**
 * The confirmation phase (src/sim/confirm.ts) for every group with native runs in this sweep, after they
 * all finished: candidates are re-measured with the sweep's native tool, and their stored statistics amended —
 * runtime_min_s becomes the confirmed minimum; runtime_first_min_s, confirm_rounds and confirm_spread are added
 * (confirm_rounds 0 for the group's other variants). Returns how many runs it made.
 */
export async function confirmNativeRuns(db: Store, plan: SweepPlan, ctx: ConfirmContext): Promise<number> {
  const native = plan.runs.filter((r) => r.tool.identity.name === "native" && !r.drift && r.pairs > 0);
  if (native.length === 0) return 0;
  const tool = native[0]!.tool.tool;
  const variants = new Map(native.map((r) => [r.key, r.variant]));
  const groups = new Map<string, Set<string>>();
  for (const p of plan.points) {
    const key = p.keys.native;
    if (key !== undefined) (groups.get(p.group) ?? groups.set(p.group, new Set()).get(p.group)!).add(key);
  }
  let runs = 0;
  for (const keys of groups.values()) {
    if (ctx.signal.aborted) break;
    if (![...keys].some((k) => variants.has(k))) continue; // measured by an earlier sweep: confirmed then
    const stored = finishedRunStats(db, [...keys]);
    const first = new Map<string, number>();
    for (const [key, { stats }] of stored) if (Number.isFinite(stats.runtime_min_s)) first.set(key, stats.runtime_min_s!);
    if (first.size === 0) continue;
    const chosen = candidates(first, ctx.confirm.within).filter((k) => variants.has(k));
    const measure = async (key: string): Promise<number | undefined> => {
      const program = await ctx.build(variants.get(key)!);
      if (program instanceof RunFailure) return undefined;
      runs++;
      try {
        const out = await tool.run(program, { signal: ctx.signal, timeoutMs: ctx.timeoutMs, workDir: ctx.workDir(), cpu: ctx.cpu });
        return out.stats.runtime_min_s;
      } catch {
        return undefined;
      }
    };
    const confirmed = await confirmGroup(new Map(chosen.map((k) => [k, first.get(k)!])), measure, ctx.confirm, ctx.signal);
    if (ctx.signal.aborted) break;
    for (const [key, { runId }] of stored) amendRunStats(db, runId, { ...(confirmed.get(key) ?? { confirm_rounds: 0 }) });
  }
  return runs;
}
