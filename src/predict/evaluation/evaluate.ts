import { type ColumnTable, table as makeTable } from "arquero";
import { numericColumn, requireColumn } from "../../data/columns.js";
import { requireComplete } from "./complete-rows.js";
import { mae, mape, r2, rmse } from "./metrics.js";
import { pairCounts } from "./pair-counts.js";
import { bestRankPercent, kendallTauB, pairwiseAccuracy, predictedOrder, spearman, topKScore } from "./ranking.js";
import { maxOf } from "../../core/extremes.js";

/** Error and ranking metrics of one group of predictions (formulas in metrics.ts and ranking.ts). */
export interface GroupMetrics {
  group: string;
  n: number;
  mae: number;
  mape: number;
  rmse: number;
  r2: number;
  spearman: number;
  kendall: number;
  pairwiseAccuracy: number;
  /** Where the truly fastest variant lands in the predicted ranking, % of the group (lower is better). */
  bestRankPercent: number;
  /** TenSet top-k scores, true best / best measured among the top k predicted (1 is perfect). */
  top1: number;
  top5: number;
}

/**
 * Overall: mae, mape, rmse and r2 pooled over all rows; the ranking metrics are the mean over groups
 * (groups where a metric is undefined, e.g. a single variant, are left out of that mean), plus the
 * worst group's bestRankPercent. Without a group column everything is one group, "all".
 */
export interface OverallMetrics extends Omit<GroupMetrics, "group"> {
  groups: number;
  worstBestRankPercent: number;
}

export interface Metrics {
  overall: OverallMetrics;
  groups: GroupMetrics[];
}

export interface PredictionColumns {
  measured: ArrayLike<number>;
  predicted: ArrayLike<number>;
  group?: ArrayLike<string>;
}

export function evaluatePredictions({ measured, predicted, group }: PredictionColumns): Metrics {
  const rowsOf = new Map<string, number[]>();
  for (let i = 0; i < measured.length; i++) {
    const g = group ? group[i]! : "all";
    const list = rowsOf.get(g);
    if (list) list.push(i);
    else rowsOf.set(g, [i]);
  }
  const groups = [...rowsOf].map(([name, rows]) => {
    const y = Float64Array.from(rows, (i) => measured[i]!);
    const p = Float64Array.from(rows, (i) => predicted[i]!);
    return { group: name, ...errors(y, p), ...ranking(y, p) };
  });
  const meanOf = (key: keyof ReturnType<typeof ranking>) => {
    const values = groups.map((g) => g[key]).filter((v) => !Number.isNaN(v));
    return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
  };
  const overall: OverallMetrics = {
    ...errors(measured, predicted),
    spearman: meanOf("spearman"),
    kendall: meanOf("kendall"),
    pairwiseAccuracy: meanOf("pairwiseAccuracy"),
    bestRankPercent: meanOf("bestRankPercent"),
    top1: meanOf("top1"),
    top5: meanOf("top5"),
    groups: groups.length,
    worstBestRankPercent: maxOf(groups.map((g) => g.bestRankPercent)),
  };
  return { overall, groups };
}

function errors(y: ArrayLike<number>, p: ArrayLike<number>) {
  return { n: y.length, mae: mae(y, p), mape: mape(y, p), rmse: rmse(y, p), r2: r2(y, p) };
}

function ranking(y: ArrayLike<number>, p: ArrayLike<number>) {
  const counts = pairCounts(y, p); // its sorts once for Spearman, Kendall and pairwise accuracy
  const order = predictedOrder(y, p); // once for the best rank and both top-k scores
  return {
    spearman: spearman(y, p, counts),
    kendall: kendallTauB(y, p, counts),
    pairwiseAccuracy: pairwiseAccuracy(y, p, counts),
    bestRankPercent: bestRankPercent(y, p, order),
    top1: topKScore(y, p, 1, order),
    top5: topKScore(y, p, 5, order),
  };
}

/**
 * Metrics of a predictions table (columns measured, predicted, and the group column `by`; without `by`,
 * "group" when the table has it). A missing column (measured, predicted or the given `by`) or a row without
 * a finite measured and predicted value is a SimlabError naming it.
 */
export function evaluateTable(predictions: ColumnTable, by?: string): Metrics {
  if (by !== undefined) requireColumn(predictions, by);
  const groupColumn = by ?? (predictions.columnNames().includes("group") ? "group" : undefined);
  const group = groupColumn === undefined ? undefined : Array.from(predictions.array(groupColumn) as ArrayLike<unknown>, (v) => String(v ?? ""));
  const measured = numericColumn(predictions, "measured");
  const predicted = numericColumn(predictions, "predicted");
  requireComplete("measured", measured);
  requireComplete("predicted", predicted);
  return evaluatePredictions({ measured, predicted, group });
}

/** The metrics as a table: one row "(overall)" then one per group, for display. */
export function metricsTable(m: Metrics): ColumnTable {
  const rows = [{ group: "(overall)", ...m.overall }, ...m.groups];
  const keys = ["group", "n", "mae", "mape", "rmse", "r2", "spearman", "kendall", "pairwiseAccuracy", "bestRankPercent", "top1", "top5"] as const;
  return makeTable(Object.fromEntries(keys.map((k) => [k, rows.map((r) => r[k])])));
}

/** JSON text of the metrics; undefined values (NaN) become null. */
export function metricsJSON(m: Metrics): string {
  return JSON.stringify(m, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}
