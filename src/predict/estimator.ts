import type { FeatureInput } from "./matrix.js";

/**
 * The one contract every simlab regressor follows (scikit-learn's, in TypeScript):
 * `fit` learns from features (column-major Float64Array per feature, or rows) and a target and returns
 * the estimator; `predict` gives one value per row; `params` are the hyper-parameters it was built with
 * (including `seed` where the model is random); `toJSON` gives a plain object that `estimatorFromJSON`
 * (registry.ts) turns back into a working model.
 */
export interface Estimator<P extends object = object> {
  /** The registry name (`linear`, `ridge`, `cart`, `tree`, `forest`, `boosting`, `knn`, `xgboost`). */
  readonly name: string;
  readonly params: Readonly<P>;
  fit(x: FeatureInput, y: ArrayLike<number>, context?: FitContext): this;
  predict(x: FeatureInput): Float64Array;
  /** Non-negative importances summing to 1, one per feature, for models that define them. */
  featureImportance?(): Float64Array;
  toJSON(): EstimatorJSON;
  /** Frees native memory (xgboost); a no-op elsewhere. */
  dispose?(): void;
}

/** What a fit may know beyond features and target; models that do not need it ignore it. */
export interface FitContext {
  /** Group id of each training row (one operator at one shape): ranking objectives compare rows within a group. */
  groups?: ArrayLike<number>;
  /** The features' names, in column order (e.g. so a model can find the recipe's physical cost feature). */
  featureNames?: readonly string[];
}

export interface EstimatorJSON {
  model: string;
  params: object;
  /** Model-specific learned state: plain JSON values only. */
  state: unknown;
}

/** Throws the error every estimator gives when asked to predict before it was fitted. */
export function notFitted(name: string): never {
  throw new Error(`${name}: predict() called before fit()`);
}

/** Scales non-negative scores to sum to 1 (all zeros stay zeros). */
export function normalise(scores: Float64Array): Float64Array {
  let total = 0;
  for (const s of scores) total += s;
  if (total > 0) for (let i = 0; i < scores.length; i++) scores[i]! /= total;
  return scores;
}
