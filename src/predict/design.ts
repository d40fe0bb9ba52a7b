import type { ColumnTable } from "arquero";
import { isNumericColumn, numericColumn, requireColumn } from "../data/columns.js";
import { separateIsas } from "../data/features/isa-groups.js";
import { SimlabError } from "../core/errors.js";

/**
 * Picks the feature columns for `features: "auto"`: every numeric, non-constant column except
 * - the target and the group column;
 * - ids and bookkeeping: `row`, `id`, `index`, `point`, `sweep`, `seed`, `fold`, `measured`, `predicted`,
 *   and names ending in `id` after a separator (`variant_id`, `run.id`);
 * - leaky columns, i.e. other measurements of the target quantity: names containing runtime, time,
 *   latency, duration, elapsed, wall, seconds, speedup, gflops or throughput, names starting with `native.`,
 *   and names ending in a time unit or spread (`_s`, `_ms`, `_us`, `_ns`, `_cv`).
 * - columns with missing values (a knob that other operators lack is empty in their rows): never silently a
 *   feature; `incompleteColumns` lists them so the caller can say so.
 * Simulator statistics (`cachegrind.D1mr`, `Ir`, derived rates) and complete numeric knobs stay in.
 */
export function autoFeatures(table: ColumnTable, target: string, group?: string): string[] {
  const features = candidates(table, target, group).filter((name) => {
    const v = numericColumn(table, name);
    return !isConstant(v) && !hasMissing(v);
  });
  if (features.length === 0) {
    throw new SimlabError("no usable feature columns: every numeric column is the target, an id, a timing, or constant", "pass --features a,b,… explicitly");
  }
  return features;
}

/** The numeric, non-constant candidate columns that autoFeatures leaves out because some rows lack a value. */
export function incompleteColumns(table: ColumnTable, target: string, group?: string): string[] {
  return candidates(table, target, group).filter((name) => hasMissing(numericColumn(table, name)) && !isConstant(numericColumn(table, name)));
}

function candidates(table: ColumnTable, target: string, group?: string): string[] {
  return table.columnNames().filter((name) => name !== target && name !== group && !isBookkeeping(name) && !isLeaky(name) && isNumericColumn(table, name));
}

function hasMissing(v: Float64Array): boolean {
  return v.some((x) => !Number.isFinite(x));
}

const BOOKKEEPING = new Set(["row", "id", "index", "point", "sweep", "seed", "fold", "measured", "predicted"]);

export function isBookkeeping(name: string): boolean {
  return BOOKKEEPING.has(name.toLowerCase()) || /[._\s-]id$/i.test(name);
}

export function isLeaky(name: string): boolean {
  return /runtime|time|latency|duration|elapsed|wall|seconds|speedup|gflops|throughput/i.test(name) || /^native\./i.test(name) || /_(s|ms|us|ns|cv)$/i.test(name);
}

function isConstant(v: Float64Array): boolean {
  let first: number | undefined;
  for (const x of v) {
    if (Number.isNaN(x)) continue;
    if (first === undefined) first = x;
    else if (x !== first) return false;
  }
  return true;
}

/** The named feature columns as Float64Arrays; a missing, non-numeric or incomplete column is a SimlabError naming it. */
export function featureColumns(table: ColumnTable, names: readonly string[]): Float64Array[] {
  return names.map((name) => {
    const values = numericColumn(table, name);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new SimlabError(`feature column "${name}" has a missing or non-finite value at row ${bad}`, "drop or fill those rows first, e.g. table.filter(d => d.col != null)");
    return values;
  });
}

/** The target column; it must be numeric and complete. */
export function targetColumn(table: ColumnTable, name: string): Float64Array {
  const values = numericColumn(table, name);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new SimlabError(`target column "${name}" has a missing or non-finite value at row ${bad}`, "drop failed runs first, e.g. table.filter(d => d.runtime_min_s != null)");
  return values;
}

/** The group column as strings (any type is accepted: numbers and strings name groups alike); groups never mix ISAs. */
export function groupColumn(table: ColumnTable, name: string): string[] {
  requireColumn(table, name);
  return [...separateIsas(table, Array.from(table.array(name) as ArrayLike<unknown>, (v) => String(v ?? "")))];
}
