import type { ColumnTable } from "arquero";
import { SimlabError } from "../../core/errors.js";
import { numericColumn, requireColumn } from "../columns.js";
import { groupIndex } from "./normalise.js";

/** Events that scale with the work done: features are their log ratio to the group's smallest value. */
export const workEvents: readonly string[] = ["Ir", "Dr", "Dw", "Bc"];
/** Rare events (misses, mispredictions): features are counts per unit of work, E / (group's smallest Ir). */
export const rareEvents: readonly string[] = ["D1mr", "D1mw", "DLmr", "DLmw", "Bcm"];

/**
 * Cycle weights of the cost-model feature `cost = Ir + l1·(D1mr + D1mw) + ll·(DLmr + DLmw) + branch·(Bcm + Bim)`:
 * textbook penalties of an L1 miss served by L2/L3, a last-level miss served by DRAM, and a mispredicted
 * branch, in instructions. Fixed constants, not fitted to any dataset.
 */
export const costModelWeights = { l1: 10, ll: 100, branch: 20 } as const;

/** Default cap of the training target: variants over e^0.5 ≈ 1.65× slower than their group's fastest count as equally slow. */
export const DEFAULT_TARGET_CAP = 0.5;

export interface SimulatorFeatureOptions {
  /** The column(s) naming a row's group (operator + shape), e.g. "group". Normalisation is within a group. */
  group: string | readonly string[];
  /** Simulator whose statistics are used (the column prefix); default "cachegrind". */
  tool?: string;
  /** "kernel" (default): the kernel function alone; "total": the whole program. */
  scope?: "kernel" | "total";
  /** Also add training targets derived from this runtime column (see simulatorFeatures). */
  runtime?: string;
  /** Cap of the training target, in ln units (default DEFAULT_TARGET_CAP); Infinity = no cap. */
  targetCap?: number;
}

export interface SimulatorFeatures {
  /** The input table with the feature columns (and the target columns, if asked) added. */
  table: ColumnTable;
  /** The names of the feature columns, to pass as `features` to fitTable. */
  features: string[];
  /** With `runtime`: the column to train on, `<runtime>_log_rel_capped`. */
  target?: string;
}

/**
 * The recipe simlab uses to rank the variants of an unseen group (bench/paper-ranking.ts), from simulator
 * statistics only — never a measured runtime — so the features exist before anything runs on the target
 * machine. Per group g (one operator at one shape), with `<p>` the `<tool>.<scope>.` column prefix:
 * - work events E ∈ workEvents, plus `mem = Dr + Dw` (memory operations) and the cost model `cost` (see
 *   costModelWeights): `<p>E_log_rel = ln((E + 1) / (min_g E + 1))`, 0 for the group's leanest variant;
 * - rare events E ∈ rareEvents: `<p>E_per_work = E / min_g Ir`, misses per instruction of the leanest
 *   variant — a log ratio would blow a handful of compulsory misses up into a large feature.
 * Both are scale-free, so a model trained on other operators and shapes applies to a new group.
 *
 * With `runtime`, two columns are added: `<runtime>_log_rel = ln(runtime / min_g runtime)` (0 for the group's
 * fastest variant; same order as the runtime within a group) and the training target
 * `<runtime>_log_rel_capped = min(<runtime>_log_rel, targetCap)`, which spends the model's capacity on the fast
 * variants the ranking criterion is about rather than on telling 5× from 10× slower ones. Fit it with
 * `targetTransform: "runtime"`; score errors and top-k ratios against the runtime column itself.
 *
 * Events missing from the table are skipped (branch events need --branch-sim=yes); rows with missing values
 * (failed runs) get NaN features and are ignored by the group minimum.
 */
export function simulatorFeatures(table: ColumnTable, options: SimulatorFeatureOptions): SimulatorFeatures {
  const tool = options.tool ?? "cachegrind";
  const scope = options.scope ?? "kernel";
  if (scope !== "kernel" && scope !== "total") throw new SimlabError(`unknown scope "${String(scope)}"`, 'use "kernel" or "total"');
  const cap = options.targetCap ?? DEFAULT_TARGET_CAP;
  if (!(cap > 0)) throw new SimlabError(`targetCap must be positive, got ${cap}`, `e.g. ${DEFAULT_TARGET_CAP} (1.65× the fastest), or Infinity for no cap`);
  const prefix = `${tool}.${scope}.`;
  requireColumn(table, `${prefix}Ir`);
  const { ids, count } = groupIndex(table, typeof options.group === "string" ? [options.group] : options.group);

  const has = (e: string): boolean => table.column(prefix + e) !== undefined;
  const get = (e: string): Float64Array => (has(e) ? numericColumn(table, prefix + e) : new Float64Array(table.numRows()));
  const { l1, ll, branch } = costModelWeights;
  const work = new Map<string, Float64Array>(workEvents.filter(has).map((e) => [e, get(e)]));
  if (has("Dr") || has("Dw")) work.set("mem", weightedSum([get("Dr"), get("Dw")], [1, 1]));
  work.set("cost", weightedSum([get("Ir"), get("D1mr"), get("D1mw"), get("DLmr"), get("DLmw"), get("Bcm"), get("Bim")], [1, l1, l1, ll, ll, branch, branch]));

  const out: Record<string, Float64Array> = {};
  for (const [e, values] of work) {
    const min = groupMin(values, ids, count);
    out[`${prefix}${e}_log_rel`] = values.map((v, i) => Math.log((v + 1) / (min[ids[i]!]! + 1)));
  }
  const leanest = groupMin(get("Ir"), ids, count);
  for (const e of rareEvents.filter(has)) out[`${prefix}${e}_per_work`] = get(e).map((v, i) => v / leanest[ids[i]!]!);
  const features = Object.keys(out);

  let target: string | undefined;
  if (options.runtime !== undefined) {
    const runtime = numericColumn(table, options.runtime);
    runtime.forEach((v, i) => {
      if (!(v > 0) && !Number.isNaN(v)) throw new SimlabError(`the runtime column "${options.runtime}" has ${v} at row ${i}`, "runtimes must be positive seconds; drop failed rows first");
    });
    const fastest = groupMin(runtime, ids, count);
    const logRel = runtime.map((v, i) => Math.log(v / fastest[ids[i]!]!));
    out[`${options.runtime}_log_rel`] = logRel;
    target = `${options.runtime}_log_rel_capped`;
    out[target] = logRel.map((v) => Math.min(v, cap));
  }
  return { table: table.assign(out), features, ...(target === undefined ? {} : { target }) };
}

/** Σ weights[k]·columns[k], element-wise. */
function weightedSum(columns: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const out = new Float64Array(columns[0]!.length);
  columns.forEach((c, k) => {
    for (let i = 0; i < out.length; i++) out[i]! += weights[k]! * c[i]!;
  });
  return out;
}

/** Per group, the smallest value ignoring NaN (NaN for a group without values). */
function groupMin(values: Float64Array, ids: Int32Array, count: number): Float64Array {
  const min = new Float64Array(count).fill(NaN);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!, g = ids[i]!;
    if (!Number.isNaN(v) && !(v >= min[g]!)) min[g] = v;
  }
  return min;
}
