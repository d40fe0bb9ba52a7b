import { table, type ColumnTable } from "arquero";
import { expectedOfRandomMinimum, expectedRandomScore } from "../plot/measurement-curve.js";
import { scatter } from "../plot/scatter.js";
import type { Figure } from "../plot/figure.js";

/** One point of the best-found-vs-measurements curve. */
export interface CurvePoint {
  measurements: number;
  strategy: "top-k predicted" | "random";
  /** The best runtime found after this many native measurements (random: its exact expectation). */
  best_runtime_s: number;
  /** true best / best found (1 = the fastest variant was found); only when every candidate's runtime is known. */
  score?: number;
}

/**
 * The tuner's curve: measuring the candidates in predicted order, the best runtime after each measurement; and,
 * when the store holds the native runtime of every candidate (an exhaustive sweep), the exact expectation of
 * measuring the same number drawn at random, with both scored against the true best.
 */
export function tuneCurve(predictedOrder: readonly number[], allRuntimes: readonly number[] | undefined): CurvePoint[] {
  const out: CurvePoint[] = [];
  const trueBest = allRuntimes ? Math.min(...allRuntimes) : undefined;
  let best = Infinity;
  predictedOrder.forEach((r, i) => {
    best = Math.min(best, Number.isFinite(r) ? r : Infinity);
    out.push({ measurements: i + 1, strategy: "top-k predicted", best_runtime_s: best, ...(trueBest !== undefined ? { score: trueBest / best } : {}) });
  });
  if (allRuntimes) {
    for (let k = 1; k <= predictedOrder.length; k++) {
      out.push({ measurements: k, strategy: "random", best_runtime_s: expectedRandomBest(allRuntimes, k), score: expectedRandomScore(allRuntimes, k) });
    }
  }
  return out;
}

/** E[min of k values drawn without replacement]. */
export function expectedRandomBest(y: readonly number[], k: number): number {
  return expectedOfRandomMinimum(y, k, (minimum) => minimum);
}

export function curveTable(curve: readonly CurvePoint[]): ColumnTable {
  return table({
    measurements: curve.map((c) => c.measurements),
    strategy: curve.map((c) => c.strategy),
    best_runtime_s: curve.map((c) => c.best_runtime_s),
    score: curve.map((c) => c.score ?? NaN),
  });
}

/** The curve as a figure: best runtime found vs native measurements, one line per strategy. */
export function tuneCurveFigure(curve: readonly CurvePoint[], title = "Best runtime found vs native measurements"): Figure {
  return scatter(curveTable(curve), { x: "measurements", y: "best_runtime_s", color: "strategy", mode: "lines+markers", title, xTitle: "native measurements", yTitle: "best runtime found (s)" });
}
