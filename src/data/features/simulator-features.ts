import type { ColumnTable } from "arquero";
import { SimlabError } from "../../errors.js";
import { numericColumn, requireColumn } from "../columns.js";
import { groupIndex } from "./normalise.js";

/** The cachegrind events the recipe reads when present (branch events need --branch-sim=yes). */
export const simulatorEvents: readonly string[] = ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw", "Bc", "Bcm", "Bi", "Bim"];

/**
 * Cycle weights of the cost-model feature `cost = Ir + l1·(D1mr + D1mw) + ll·(DLmr + DLmw) + branch·(Bcm + Bim)`:
 * textbook penalties of an L1 miss served by L2/L3, a last-level miss served by DRAM, and a mispredicted
 * branch, in instructions. Fixed constants, not fitted to any dataset.
 */
export const costModelWeights = { l1: 10, ll: 100, branch: 20 } as const;

export interface SimulatorFeatureOptions {
  /** The column(s) naming a row's group (operator + shape), e.g. "group". Normalisation is within a group. */
  group: string | readonly string[];
  /** Simulator whose statistics are used (the column prefix); default "cachegrind". */
  tool?: string;
  /** "kernel" (default): the kernel function alone; "total": the whole program. */
  scope?: "kernel" | "total";
  /** Also add `<runtime>_log_rel` = ln(runtime / group's fastest runtime), a training target (see below). */
  runtime?: string;
}

export interface SimulatorFeatures {
  /** The input table with the feature columns (and the target column, if asked) added. */
  table: ColumnTable;
  /** The names of the feature columns, to pass as `features` to fitTable. */
  features: string[];
  /** With `runtime`: the name of the log-relative target column. */
  target?: string;
}

/**
 * The recipe that ranks variants of unseen groups best in simlab's paper dataset (bench/paper-ranking.ts):
 * every simulator event E of the tool and scope, plus `mem = Dr + Dw` (memory operations) and the cost
 * model `cost` (see costModelWeights), becomes `<prefix>E_log_rel = ln((E + 1) / (min_g E + 1))`, its log
 * ratio to the smallest value in the row's group g. A group's fastest-looking variant sits near 0 whatever
 * the operator or shape, which lets a model trained on other groups rank a new one. Features use simulator
 * statistics only (never a measured runtime), so they exist before anything runs on the target machine.
 *
 * With `runtime`, the column `<runtime>_log_rel = ln(runtime / min_g runtime)` is added as a target: same
 * order as the runtime within each group (rank metrics are unchanged), 0 for the group's fastest variant, and
 * on a log scale so fitting is not dominated by variants 10× slower than the best. Fit it with
 * `targetTransform: "runtime"`; to score predictions in seconds, use the runtime column itself.
 *
 * Rows whose events are missing (failed runs) get NaN features and are ignored by the group minimum.
 */
export function simulatorFeatures(table: ColumnTable, options: SimulatorFeatureOptions): SimulatorFeatures {
  const tool = options.tool ?? "cachegrind";
  const scope = options.scope ?? "kernel";
  if (scope !== "kernel" && scope !== "total") throw new SimlabError(`unknown scope "${String(scope)}"`, 'use "kernel" or "total"');
  const prefix = `${tool}.${scope}.`;
  requireColumn(table, `${prefix}Ir`);
  const groups = groupIndex(table, typeof options.group === "string" ? [options.group] : options.group);

  const events = new Map<string, Float64Array>();
  for (const e of simulatorEvents) if (table.column(prefix + e) !== undefined) events.set(e, numericColumn(table, prefix + e));
  const get = (e: string): Float64Array => events.get(e) ?? new Float64Array(table.numRows());
  events.set("mem", add([get("Dr"), get("Dw")], [1, 1]));
  const { l1, ll, branch } = costModelWeights;
  events.set("cost", add([get("Ir"), get("D1mr"), get("D1mw"), get("DLmr"), get("DLmw"), get("Bcm"), get("Bim")], [1, l1, l1, ll, ll, branch, branch]));

  const out: Record<string, Float64Array> = {};
  for (const [e, values] of events) out[`${prefix}${e}_log_rel`] = logRatioToGroupMin(values, groups.ids, groups.count, 1);
  const features = Object.keys(out);
  let target: string | undefined;
  if (options.runtime !== undefined) {
    const runtime = numericColumn(table, options.runtime);
    for (let i = 0; i < runtime.length; i++) {
      if (!(runtime[i]! > 0) && !Number.isNaN(runtime[i]!)) {
        throw new SimlabError(`the runtime column "${options.runtime}" has ${runtime[i]} at row ${i}`, "runtimes must be positive seconds; drop failed rows first");
      }
    }
    target = `${options.runtime}_log_rel`;
    out[target] = logRatioToGroupMin(runtime, groups.ids, groups.count, 0);
  }
  return { table: table.assign(out), features, ...(target === undefined ? {} : { target }) };
}

/** Σ weights[k]·columns[k], element-wise. */
function add(columns: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const out = new Float64Array(columns[0]!.length);
  columns.forEach((c, k) => {
    for (let i = 0; i < out.length; i++) out[i]! += weights[k]! * c[i]!;
  });
  return out;
}

/** ln((v + shift) / (min_g v + shift)) per row, min over the row's group ignoring NaN (NaN if none). */
function logRatioToGroupMin(values: Float64Array, ids: Int32Array, count: number, shift: number): Float64Array {
  const min = new Float64Array(count).fill(NaN);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!, g = ids[i]!;
    if (!Number.isNaN(v) && !(v >= min[g]!)) min[g] = v;
  }
  return values.map((v, i) => Math.log((v + shift) / (min[ids[i]!]! + shift)));
}
