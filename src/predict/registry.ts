import { SimlabError } from "../core/errors.js";
import { type BoostingParams, GradientBoostingRegressor } from "./boosting.js";
import { CartRegressor, type CartParams } from "./cart.js";
import type { Estimator, EstimatorJSON } from "./estimator.js";
import { type ForestParams, RandomForestRegressor } from "./forest.js";
import { KnnRegressor, type KnnParams } from "./knn.js";
import { LinearRegression, type LinearParams, Ridge } from "./linear.js";
import { DecisionTreeRegressor, type TreeParams } from "./tree.js";
import { XGBoostRegressor, type XGBoostParams } from "./xgboost.js";

/** Every model simlab can fit, by registry name, with its typed parameters. */
export interface ModelParams {
  linear: LinearParams;
  ridge: LinearParams;
  cart: CartParams;
  tree: TreeParams;
  forest: ForestParams;
  boosting: BoostingParams;
  knn: KnnParams;
  xgboost: XGBoostParams;
}
export type ModelName = keyof ModelParams;

const treeKeys = ["maxDepth", "maxLeafNodes", "minSamplesLeaf", "minSamplesSplit", "maxFeatures", "maxBins", "seed"] as const;

/** The parameter names each model accepts (the keys of ModelParams[name]). */
export const modelParamNames: { readonly [N in ModelName]: readonly (keyof ModelParams[N])[] } = {
  linear: ["alpha"],
  ridge: ["alpha"],
  cart: ["maxDepth", "minSamples"],
  tree: treeKeys,
  forest: [...treeKeys, "nEstimators", "bootstrap"],
  boosting: ["learningRate", "maxIter", "maxLeafNodes", "maxDepth", "minSamplesLeaf", "l2", "maxBins", "earlyStopping", "validationFraction", "nIterNoChange", "tol", "seed"],
  knn: ["k", "weights"],
  xgboost: ["nEstimators", "maxDepth", "learningRate", "subsample", "colsampleBytree", "minChildWeight", "l2", "seed"],
};

export const modelNames = Object.keys(modelParamNames) as ModelName[];

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(modelParamNames, name);
}

function checkModelName(name: string): asserts name is ModelName {
  if (!isModelName(name)) throw new SimlabError(`unknown model '${name}'`, `models are ${modelNames.join(", ")}`);
}

/** A new, unfitted estimator. Async because the xgboost backend loads WebAssembly. */
export async function createEstimator<N extends ModelName>(name: N, params: Partial<ModelParams[N]> = {}): Promise<Estimator> {
  checkModelName(name);
  checkParamNames(name, params);
  const p = params as Partial<ModelParams[ModelName]>;
  switch (name as ModelName) {
    case "linear": return new LinearRegression(p as Partial<LinearParams>);
    case "ridge": return new Ridge(p as Partial<LinearParams>);
    case "cart": return new CartRegressor(p as Partial<CartParams>);
    case "tree": return new DecisionTreeRegressor(p as Partial<TreeParams>);
    case "forest": return new RandomForestRegressor(p as Partial<ForestParams>);
    case "boosting": return new GradientBoostingRegressor(p as Partial<BoostingParams>);
    case "knn": return new KnnRegressor(p as Partial<KnnParams>);
    case "xgboost": return XGBoostRegressor.create(p as Partial<XGBoostParams>);
  }
}

/** Rebuilds a fitted estimator from its `toJSON()` form. */
export async function estimatorFromJSON(json: EstimatorJSON): Promise<Estimator> {
  const name = json.model;
  checkModelName(name);
  switch (name) {
    case "linear":
    case "ridge": return LinearRegression.fromJSON(json);
    case "cart": return CartRegressor.fromJSON(json);
    case "tree": return DecisionTreeRegressor.fromJSON(json);
    case "forest": return RandomForestRegressor.fromJSON(json);
    case "boosting": return GradientBoostingRegressor.fromJSON(json);
    case "knn": return KnnRegressor.fromJSON(json);
    case "xgboost": return XGBoostRegressor.fromJSON(json);
  }
}

function checkParamNames(name: ModelName, params: object): void {
  const known = modelParamNames[name] as readonly string[];
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw new SimlabError(`model '${name}' has no parameter '${key}'`, `its parameters are ${known.join(", ")}`);
  }
}

/**
 * Parses "max_depth=8,learningRate=0.05,bootstrap=false" (snake_case or camelCase names) into model
 * parameters: numbers, booleans and words; unknown names are a SimlabError listing the valid ones.
 */
export function parseModelParams(name: string, text: string | undefined): Record<string, number | boolean | string> {
  checkModelName(name);
  const out: Record<string, number | boolean | string> = {};
  for (const item of (text ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new SimlabError(`model parameter '${item}' is not name=value`, "write e.g. --params max_depth=8,seed=1");
    const key = item.slice(0, eq).trim().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const raw = item.slice(eq + 1).trim();
    out[key] = raw === "true" ? true : raw === "false" ? false : raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  checkParamNames(name, out);
  return out;
}
