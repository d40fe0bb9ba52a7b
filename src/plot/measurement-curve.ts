import { table, type ColumnTable } from "arquero";
import { numericColumn } from "../data/columns.js";
import { topKScore } from "../predict/evaluation/ranking.js";
import type { Figure } from "./figure.js";
import { rowsByGroup } from "./hover.js";
import { findRecords, type TableLike } from "./inputs.js";
import { scatter } from "./scatter.js";
import { maxOf } from "../core/extremes.js";

export interface MeasurementCurveOptions {
  /** The largest number of native measurements per group on the x axis. Default: the largest group, at most 64. */
  maxMeasurements?: number;
  title?: string;
}

/**
 * The paper's "simulate everything, measure only the top k" curve as data: for k = 1…K native measurements
 * per group, the mean over groups of true best / best runtime found (1 = the fastest variant was found),
 * measuring the k best-predicted variants (TenSet's top-k score) vs k variants drawn at random (its exact
 * expectation). Columns: measurements, strategy ("top-k predicted" | "random"), score.
 */
export function measurementCurveTable(predictions: TableLike | { predictions: TableLike }, options: MeasurementCurveOptions = {}): ColumnTable {
  const data = findRecords(predictions, ["predictions"], "the predictions");
  const measured = numericColumn(data, "measured");
  const predicted = numericColumn(data, "predicted");
  const groups = [...rowsByGroup(data).values()].map((rows) => rows.filter((i) => Number.isFinite(measured[i]) && Number.isFinite(predicted[i]) && measured[i]! > 0));
  const largest = Math.max(0, maxOf(groups.map((g) => g.length)));
  const maxK = Math.max(1, Math.min(options.maxMeasurements ?? 64, largest));
  const out = { measurements: [] as number[], strategy: [] as string[], score: [] as number[] };
  for (let k = 1; k <= maxK; k++) {
    const topK = groups.map((rows) => topKScore(rows.map((i) => measured[i]!), rows.map((i) => predicted[i]!), k));
    const random = groups.map((rows) => expectedRandomScore(rows.map((i) => measured[i]!), k));
    out.measurements.push(k, k);
    out.strategy.push("top-k predicted", "random");
    out.score.push(mean(topK), mean(random));
  }
  return table(out);
}

/** The curve as a figure (lines + markers, one line per strategy). */
export function measurementCurve(predictions: TableLike | { predictions: TableLike }, options: MeasurementCurveOptions = {}): Figure {
  return scatter(measurementCurveTable(predictions, options), {
    x: "measurements",
    y: "score",
    color: "strategy",
    mode: "lines+markers",
    title: options.title ?? "Best runtime found vs native measurements per group",
    xTitle: "native measurements per group",
    yTitle: "true best / best found (1 = fastest found)",
  });
}

/**
 * E[value(the minimum of k values drawn without replacement, min(y))]: with y sorted ascending, the i-th smallest
 * is the minimum of the draw with probability C(n−i, k−1) / C(n, k), computed by the ratio p(i+1)/p(i) = (n−i−k+1)/(n−i).
 */
export function expectedOfRandomMinimum(y: readonly number[], k: number, value: (minimum: number, best: number) => number): number {
  const sorted = [...y].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  const draws = Math.min(k, n);
  let p = draws / n;
  let expected = 0;
  for (let i = 1; i <= n && p > 0; i++) {
    expected += p * value(sorted[i - 1]!, sorted[0]!);
    p *= (n - i - draws + 1) / (n - i);
  }
  return expected;
}

/** E[min(y) / min of k values drawn without replacement]. */
export function expectedRandomScore(y: readonly number[], k: number): number {
  return expectedOfRandomMinimum(y, k, (minimum, best) => best / minimum);
}

function mean(values: number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  return finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
}
