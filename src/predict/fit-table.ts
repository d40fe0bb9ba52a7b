import { type ColumnTable, table as makeTable } from "arquero";
import { isNumericColumn, requireColumn } from "../data/columns.js";
import { SimlabError } from "../core/errors.js";
import { type CvScheme, assignFolds, crossValidate } from "./evaluation/cv.js";
import { type Baseline, baselines } from "./evaluation/baselines.js";
import { featureColumns, groupColumn, targetColumn } from "./design.js";
import type { Estimator } from "./estimator.js";
import { type Metrics, evaluatePredictions } from "./evaluation/evaluate.js";
import { type FeatureRecipe, type FeatureRequest, applyRecipe, resolveRecipe } from "./recipe.js";
import { defaultModel } from "./models/model-table.js";
import { type ModelName, type ModelParams, checkModelParams, createEstimator, modelParamNames } from "./registry.js";
import { type TargetOptions, type TargetTransform, bindTarget } from "./target.js";
import { maxOf } from "../core/extremes.js";

export interface FitOptions<N extends ModelName = ModelName> {
  /** The runtime column to predict. */
  target: string;
  /**
   * Feature columns; "auto" (see autoFeatures in design.ts); "simulator" or "simulator=tool.scope" (the per-group
   * simulator recipe). Default: the simulator recipe when the table has simulator columns and a group, else auto.
   */
  features?: FeatureRequest;
  /** Column naming each row's group (e.g. the workload): used by group CV, normalisation and per-group metrics. */
  group?: string;
  /** Default: defaultModel (models/model-table.ts), whose parameters apply only then. */
  model?: N;
  params?: Partial<ModelParams[N]>;
  /** Default: `group` when a group column is given, else `kfold`. */
  cv?: CvScheme;
  /**
   * Make the folds from this column instead of the group (with `logo`: leave one of its values out, e.g. one
   * generator or operator, so every group of it is predicted by a model that saw none of them). Normalisation and
   * per-group metrics still use `group`.
   */
  cvBy?: string;
  folds?: number;
  /** Seeds the fold assignment and, unless params set their own, the model. Default 0. */
  seed?: number;
  /** Default: `log-relative` with the simulator recipe, else `runtime`. */
  targetTransform?: TargetTransform;
  groupStat?: TargetOptions["groupStat"];
  /** Cap of the log-relative target in ln units (default LOG_RELATIVE_CAP; Infinity = none). */
  targetCap?: number;
  /** Also score the baselines (Ir, the fixed cost, the fitted cost model) on the same folds. Default true. */
  baselines?: boolean;
  /** Columns copied into the predictions table (e.g. knobs, for hover text). Default: the text columns. */
  keep?: readonly string[];
  signal?: AbortSignal;
}

/** What `fitTable` (and `%fit`) returns. */
export interface FitResult {
  /** Out-of-fold predictions: row, group, measured, predicted, fold (+ kept columns). */
  predictions: ColumnTable;
  /** The same model fitted on all rows, for predicting new variants. */
  model: Estimator;
  features: string[];
  /** How the features were made from the table (saved with the model, see saved-model.ts). */
  recipe: FeatureRecipe;
  target: string;
  group?: string;
  cv: CvScheme;
  folds: number;
  targetTransform: TargetTransform;
  /** Metrics of the out-of-fold predictions, overall and per group. */
  metrics: Metrics;
  /** Feature name → importance (sums to 1), for models that define importances. */
  featureImportance?: { feature: string; importance: number }[];
  /** The baselines' metrics on the same rows and folds, when the table has simulator event counts. */
  baselines: Baseline[];
  /** Things the user should know (e.g. columns left out of auto features because some rows lack them). */
  notes: string[];
  /** What the model was trained on. */
  training: { rows: number; groups: string[] };
}

/** Cross-validates a model on an arquero table and fits it on all rows. Every user mistake is a SimlabError. */
export async function fitTable<N extends ModelName>(data: ColumnTable, options: FitOptions<N>): Promise<FitResult> {
  const model = (options.model ?? defaultModel.model) as ModelName;
  const modelParams: Record<string, unknown> = { ...(options.model === undefined ? defaultModel.params : {}), ...options.params };
  const seed = options.seed ?? 0;
  checkModelParams(model, modelParams);
  requireColumn(data, options.target);
  if (options.group !== undefined) requireColumn(data, options.group);
  const { recipe, skipped } = resolveRecipe(data, options.features, options.target, options.group);
  const notes = skipped.length > 0 ? [`left out of the features because some rows lack a value: ${skipped.join(", ")}`] : [];
  if (modelParams.loss === "pairwise") notes.push("the pairwise loss learns an order within each group; its outputs are put on the target's scale by a least-squares line, so judge it by the ranking metrics first");
  const applied = applyRecipe(data, recipe);
  const featureNames = applied.features;
  for (const f of featureNames) {
    if (f === options.target) throw new SimlabError(`the target "${f}" is also listed as a feature`, "remove it from --features");
  }
  const x = featureColumns(applied.table, featureNames);
  const y = targetColumn(data, options.target);
  // The recipe's natural target is ln(runtime / group's fastest); a target that is already relative (has zeros or
  // negatives, e.g. a log ratio) is learned as it is.
  const transform = options.targetTransform ?? (recipe.kind === "simulator" && y.every((v) => v > 0) ? "log-relative" : "runtime");
  const groups = options.group !== undefined ? groupColumn(data, options.group) : undefined;
  const cv = options.cv ?? (groups ? "group" : "kfold");
  if (options.cvBy !== undefined) requireColumn(data, options.cvBy);
  const foldLabels = options.cvBy !== undefined ? groupColumn(data, options.cvBy) : groups;
  const fold = assignFolds(y.length, cv, { folds: options.folds, seed, groups: foldLabels });
  const target = bindTarget({ transform, groupStat: options.groupStat, ...(options.targetCap !== undefined ? { cap: options.targetCap } : {}) }, y, groups, options.target);

  const params: Record<string, unknown> = { ...modelParams };
  if ((modelParamNames[model] as readonly string[]).includes("seed") && params.seed === undefined) params.seed = seed;
  const create = () => createEstimator(model, params as Partial<ModelParams[ModelName]>);
  const groupIds = groups ? denseIds(groups) : undefined;
  const predicted = await crossValidate(x, y, fold, create, target, options.signal, groupIds, featureNames);

  options.signal?.throwIfAborted();
  const all = Array.from(y.keys());
  const final = (await create()).fit(x, target.forward(y, all), { ...(groupIds ? { groups: groupIds } : {}), featureNames });

  const groupValues = groups ?? new Array<string>(y.length).fill("all");
  const keep = (options.keep ?? textColumns(data, [options.target, options.group])).filter((c) => c !== options.group);
  keep.forEach((c) => requireColumn(data, c));
  const predictions = makeTable({
    row: Int32Array.from(all),
    group: groupValues,
    measured: y,
    predicted,
    fold,
    ...Object.fromEntries(keep.map((c) => [c, data.array(c)])),
  });
  const importance = final.featureImportance?.();
  return {
    predictions,
    model: final,
    features: featureNames,
    recipe,
    target: options.target,
    ...(options.group !== undefined ? { group: options.group } : {}),
    cv,
    folds: maxOf(fold) + 1,
    targetTransform: transform,
    metrics: evaluatePredictions({ measured: y, predicted, group: groupValues }),
    ...(importance ? { featureImportance: featureNames.map((feature, j) => ({ feature, importance: importance[j]! })) } : {}),
    baselines: options.baselines === false ? [] : baselines(data, y, groupValues, fold, recipe),
    notes,
    training: { rows: y.length, groups: [...new Set(groupValues)] },
  };
}

/** Dense ids 0…k−1 of the group labels, in first-seen order. */
function denseIds(labels: readonly string[]): Int32Array {
  const seen = new Map<string, number>();
  return Int32Array.from(labels, (g) => {
    let id = seen.get(g);
    if (id === undefined) seen.set(g, (id = seen.size));
    return id;
  });
}

/** Non-numeric columns (variant names, knob strings) other than the excluded ones, at most 8. */
function textColumns(data: ColumnTable, exclude: (string | undefined)[]): string[] {
  return data.columnNames().filter((c) => !exclude.includes(c) && !["row", "group", "measured", "predicted", "fold"].includes(c) && !isNumericColumn(data, c)).slice(0, 8);
}
