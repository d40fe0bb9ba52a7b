import type { ColumnTable } from "arquero";
import { numericColumn } from "../../data/columns.js";
import { simulatorSources } from "../../data/features/simulator-recipe.js";
import { CostModel } from "../models/costmodel.js";
import { type Metrics, evaluatePredictions } from "./evaluate.js";
import { takeRows } from "../matrix.js";
import type { FeatureRecipe } from "../recipe.js";

/** A reference ranking scored like the model: what a learned predictor has to beat. */
export interface Baseline {
  name: string;
  metrics: Metrics;
}

/** Cycle weight of an L1 data miss in the fixed cost model (the premise check in DESIGN.md). */
export const FIXED_L1_WEIGHT = 10;

/** The `tool.scope.` prefix whose raw counts the baselines use: the recipe's first source with `Ir`, else any. */
export function baselinePrefix(data: ColumnTable, recipe?: FeatureRecipe): string | undefined {
  const sources = [...(recipe?.kind === "simulator" ? recipe.sources : []), "cachegrind.kernel", ...simulatorSources(data)];
  const source = sources.find((s) => data.column(`${s}.Ir`) !== undefined);
  return source === undefined ? undefined : `${source}.`;
}

/**
 * Three baselines from the raw event counts of one prefix, scored on the same rows (and, for the fitted one,
 * the same folds) as a model:
 * - `Ir`: rank by instructions executed;
 * - `Ir+10·L1miss`: the fixed cost Ir + 10·(D1mr + D1mw);
 * - `costmodel`: the fitted cost model (models/costmodel.ts, relative errors) on every complete raw event of the prefix,
 *   trained out of fold: each fold's rows are predicted by weights fitted on the other folds.
 * Empty when the table has no `Ir` column; a baseline whose events are missing or incomplete is left out.
 */
export function baselines(data: ColumnTable, y: Float64Array, groups: readonly string[], fold: Int32Array, recipe?: FeatureRecipe): Baseline[] {
  const prefix = baselinePrefix(data, recipe);
  if (prefix === undefined) return [];
  const column = (e: string): Float64Array | undefined => {
    if (data.column(prefix + e) === undefined) return undefined;
    const v = numericColumn(data, prefix + e);
    return v.every(Number.isFinite) ? v : undefined;
  };
  const score = (name: string, predicted: ArrayLike<number>): Baseline => ({ name, metrics: evaluatePredictions({ measured: y, predicted, group: groups }) });
  const out: Baseline[] = [];
  const ir = column("Ir"), d1r = column("D1mr"), d1w = column("D1mw");
  if (ir) out.push(score("Ir", ir));
  if (ir && d1r && d1w) out.push(score(`Ir+${FIXED_L1_WEIGHT}·L1miss`, ir.map((v, i) => v + FIXED_L1_WEIGHT * (d1r[i]! + d1w[i]!))));
  const events = data.columnNames().filter((c) => c.startsWith(prefix) && /^[A-Za-z][A-Za-z0-9]*$/.test(c.slice(prefix.length)));
  const x = events.map((e) => column(e.slice(prefix.length))).filter((v): v is Float64Array => v !== undefined);
  if (x.length > 0 && y.every((v) => v > 0)) out.push(score("costmodel", outOfFold(x, y, fold)));
  return out;
}

function outOfFold(x: Float64Array[], y: Float64Array, fold: Int32Array): Float64Array {
  const predicted = new Float64Array(y.length);
  const folds = fold.reduce((m, f) => Math.max(m, f), 0) + 1;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [], test: number[] = [];
    fold.forEach((g, i) => (g === f ? test : train).push(i));
    if (test.length === 0 || train.length === 0) continue;
    const model = new CostModel({ relative: true, intercept: true }).fit(takeRows(x, train), Float64Array.from(train, (i) => y[i]!));
    model.predict(takeRows(x, test)).forEach((v, k) => (predicted[test[k]!] = v));
  }
  return predicted;
}
