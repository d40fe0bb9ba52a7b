import { createHash } from "node:crypto";
import type { DisplaySink } from "../display/types.js";
import { canonicalKnobs, runResults, type RunResult, type Store } from "../store/index.js";
import { catalog as defaultCatalog, type Catalog } from "../sweep/catalog.js";
import { planSweep, prepareTools, type PreparedTool } from "../sweep/plan.js";
import { expandPoints } from "../sweep/points.js";
import type { ProgressSnapshot } from "../sweep/progress.js";
import { runSweep } from "../sweep/runner.js";
import { parseSpec, type SweepSpec } from "../sweep/spec.js";
import type { Knobs, Stats } from "../core/contracts.js";
import type { TuneSpace } from "./space.js";

/** How one variant fared under a set of tools: its statistics (`tool.stat`) or why it has none. */
export type Evaluation = { ok: true; stats: Stats; checksum?: string } | { ok: false; reason: string; message: string };

/** Runs variants (or, in a replay, looks them up): simulations for scoring, native runs for the top k. */
export interface Evaluator {
  /** True when nothing runs: every result comes from the store, and a missing one is reported as such. */
  readonly replay: boolean;
  simulate(points: readonly Knobs[]): Promise<Evaluation[]>;
  measure(points: readonly Knobs[]): Promise<Evaluation[]>;
  /** Native results the store already holds (never runs anything). */
  known(points: readonly Knobs[]): Promise<Evaluation[]>;
}

export interface EvaluatorOptions {
  db: Store;
  space: TuneSpace;
  simulators: string[];
  /** Names this tuning's sweeps in the store (`tune-sim-…`, `tune-native-…`). */
  label: string;
  reps?: number;
  timeout?: number;
  jobs?: number;
  /** Re-measure near-ties of the top k (the sweep's confirmation phase). Default true. */
  confirm?: boolean;
  replay?: boolean;
  signal?: AbortSignal;
  display?: DisplaySink;
  onProgress?: (progress: ProgressSnapshot) => void;
  catalog?: Catalog;
}

/** The missing-from-the-store reason of a replay. */
export const NOT_IN_STORE = "not-in-store";

/**
 * The store-backed evaluator: a live one runs each batch through runSweep (its sweep's point set grows with
 * every batch, so cached points are never run again and an interrupted tuning resumes), then reads the results
 * back by cache key; a replay only reads them.
 */
export function storeEvaluator(options: EvaluatorOptions): Evaluator {
  const cat = options.catalog ?? defaultCatalog;
  const phase = (role: "sim" | "native", tools: string[], extra: Record<string, unknown>) => {
    const seen = new Map<string, Knobs>();
    let prepared: Promise<PreparedTool[]> | undefined;
    const specOf = (points: readonly Knobs[]): SweepSpec =>
      parseSpec(
        {
          name: `tune-${role}-${options.label}`,
          workloads: [{ kind: options.space.kind, space: options.space.space, points, options: options.space.workloadOptions }],
          tools,
          options: { ...(options.reps !== undefined ? { reps: options.reps } : {}), ...(options.timeout !== undefined ? { timeout: options.timeout } : {}), tools: extra },
        },
        "tune",
        { catalog: cat },
      );
    return async (points: readonly Knobs[], run = !options.replay): Promise<Evaluation[]> => {
      if (points.length === 0) return [];
      if (run) {
        for (const p of [options.space.reference, ...points]) seen.set(canonicalKnobs(p), p);
        await runSweep(specOf([...seen.values()]), { db: options.db, jobs: options.jobs, signal: options.signal, display: options.display, onProgress: options.onProgress, catalog: cat });
      }
      const spec = specOf(points);
      prepared ??= prepareTools(spec, cat);
      return lookup(options.db, spec, await prepared, cat, !run);
    };
  };
  const native = phase("native", ["native"], options.confirm === false ? {} : { native: { confirm: true } });
  return { replay: options.replay ?? false, simulate: phase("sim", options.simulators, {}), measure: (p) => native(p), known: (p) => native(p, false) };
}

/** The stored results of a spec's points, merged over its tools (a failure under any tool is the point's). */
function lookup(db: Store, spec: SweepSpec, tools: PreparedTool[], cat: Catalog, replay: boolean): Evaluation[] {
  const plan = planSweep(db, spec, expandPoints(spec, cat), tools);
  const results = runResults(db, plan.points.flatMap((p) => Object.values(p.keys)));
  return plan.points.map((p): Evaluation => {
    const stats: Stats = {};
    let checksum: string | undefined;
    for (const [tool, key] of Object.entries(p.keys)) {
      const r: RunResult | undefined = results.get(key);
      if (!r) return { ok: false, reason: replay ? NOT_IN_STORE : "cancelled", message: replay ? `${canonicalKnobs(p.knobs)} under ${tool} is not in the store` : "not run" };
      if (r.status === "failed") return { ok: false, reason: r.reason, message: r.message };
      for (const [name, value] of Object.entries(r.stats)) stats[tool === "native" ? name : `${tool}.${name}`] = value;
      checksum ??= r.checksum;
    }
    return { ok: true, stats, ...(checksum !== undefined ? { checksum } : {}) };
  });
}

/** A short stable label for a tuning's sweeps, from what makes its runs. */
export function tuneLabel(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 10);
}
