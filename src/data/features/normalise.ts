import type { ColumnTable } from "arquero";
import { SimlabError } from "../../core/errors.js";
import { numericColumn, requireColumn } from "../columns.js";
import { divide } from "./divide.js";
import { separateIsas } from "./isa-groups.js";

export type GroupStatistic = "min" | "mean";

export interface NormaliseOptions {
  /** The column(s) whose values define a group, e.g. "group" or ["workload", "shape"]. */
  by: string | readonly string[];
  /** Divide by the group's minimum (default; the fastest variant becomes 1) or mean. */
  relativeTo?: GroupStatistic;
  /** Appended to each column's name for the result; "" replaces the column. Default "_rel". */
  suffix?: string;
}

/**
 * Per-group normalisation, as the DAC 2025 paper does to compare unseen kernels: each value divided by its
 * group's minimum or mean of that column. NaN values are ignored when computing the statistic (a group
 * with no values gives NaN); division follows `divide` (0/0 → 0, x/0 → NaN).
 */
export function normaliseByGroup(table: ColumnTable, columns: string | readonly string[], options: NormaliseOptions): ColumnTable {
  const names = typeof columns === "string" ? [columns] : columns;
  const relativeTo = options.relativeTo ?? "min";
  if (relativeTo !== "min" && relativeTo !== "mean") throw new SimlabError(`unknown statistic "${String(relativeTo)}"`, 'use "min" or "mean"');
  const suffix = options.suffix ?? "_rel";
  const groups = groupIndex(table, typeof options.by === "string" ? [options.by] : options.by);
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    const values = numericColumn(table, name);
    const stat = groupStatistic(values, groups.ids, groups.count, relativeTo);
    out[name + suffix] = values.map((v, i) => divide(v, stat[groups.ids[i]!]!));
  }
  return table.assign(out);
}

/**
 * Dense group ids (0…count-1, in first-seen order) for the rows of `table` by the values of `keys`; groups
 * never mix ISAs (see separateIsas).
 */
export function groupIndex(table: ColumnTable, keys: readonly string[]): { ids: Int32Array; count: number; labels: string[] } {
  if (keys.length === 0) throw new SimlabError("no group column given", "name the column that identifies a group, e.g. --group workload");
  keys.forEach((k) => requireColumn(table, k));
  const columns = keys.map((k) => table.array(k) as ArrayLike<unknown>);
  const ids = new Int32Array(table.numRows());
  const rowLabels = separateIsas(table, Array.from(ids, (_, i) => columns.map((c) => String(c[i])).join(" / ")));
  const seen = new Map<string, number>();
  const labels: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const label = rowLabels[i]!;
    let id = seen.get(label);
    if (id === undefined) {
      id = labels.length;
      seen.set(label, id);
      labels.push(label);
    }
    ids[i] = id;
  }
  return { ids, count: labels.length, labels };
}

function groupStatistic(values: Float64Array, ids: Int32Array, count: number, statistic: GroupStatistic): Float64Array {
  const acc = new Float64Array(count).fill(statistic === "min" ? Infinity : 0);
  const n = new Float64Array(count);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const g = ids[i]!;
    n[g]!++;
    if (statistic === "min") acc[g] = Math.min(acc[g]!, v);
    else acc[g]! += v;
  }
  return acc.map((a, g) => (n[g] === 0 ? NaN : statistic === "min" ? a : a / n[g]!));
}
