import { GradientBoostingRegressor } from "./boosting.js";
import { CartRegressor } from "./cart.js";
import { CostModel } from "./costmodel.js";
import type { Estimator, EstimatorJSON } from "../estimator.js";
import { RandomForestRegressor } from "./forest.js";
import { KnnRegressor } from "./knn.js";
import { LinearRegression, Ridge } from "./linear.js";
import { DecisionTreeRegressor } from "./tree.js";
import { XGBoostRegressor } from "./xgboost.js";

/**
 * One parameter of a model: its type, its valid range and its default (what the model uses when it is not
 * given; absent = unset, e.g. "unlimited depth"). `signs` is a monotone-constraint setting: one of −1, 0, 1,
 * or one per feature written `1:0:-1`.
 */
export type ParamSpec =
  | { type: "integer"; min: number; max: number; default?: number; help: string }
  | { type: "number"; min: number; max: number; exclusiveMin?: boolean; default?: number; help: string }
  | { type: "boolean"; default: boolean; help: string }
  | { type: "choice"; choices: readonly string[]; default: string; help: string }
  | { type: "signs"; help: string };

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** The TypeScript type of a value of a parameter spec. */
export type ParamValue<S extends ParamSpec> = S extends { type: "integer" | "number" }
  ? number
  : S extends { type: "boolean" }
    ? boolean
    : S extends { type: "choice"; choices: readonly (infer C)[] }
      ? C
      : number | readonly number[];

export type ParamsOf<S extends ParamSchema> = { -readonly [K in keyof S]: ParamValue<S[K]> };

export interface ModelEntry<S extends ParamSchema = ParamSchema> {
  summary: string;
  params: S;
  create(params: Partial<ParamsOf<S>>): Estimator | Promise<Estimator>;
  fromJSON(json: EstimatorJSON): Estimator | Promise<Estimator>;
}

/** Types an entry's create/fromJSON against its own schema. */
function entry<const S extends ParamSchema>(e: ModelEntry<S>): ModelEntry<S> {
  return e;
}

const BIG = 1e12;
const seed = { type: "integer", min: 0, max: 2 ** 32 - 1, default: 0, help: "random seed" } as const;
const maxBins = { type: "integer", min: 2, max: 255, default: 255, help: "histogram bins per feature" } as const;
const monotonicCst = { type: "signs", help: "monotone constraints: 1 (non-decreasing), -1, 0, or one per feature as 1:0:-1" } as const;
const treeSchema = {
  maxDepth: { type: "integer", min: 1, max: 1000, help: "maximum depth (default unlimited)" },
  maxLeafNodes: { type: "integer", min: 2, max: 1_000_000, help: "maximum leaves, grown best-first (default unlimited)" },
  minSamplesLeaf: { type: "integer", min: 1, max: 1e9, default: 1, help: "fewest rows in a leaf" },
  minSamplesSplit: { type: "integer", min: 2, max: 1e9, default: 2, help: "fewest rows in a node that may split" },
  maxFeatures: { type: "number", min: 0, exclusiveMin: true, max: 1, default: 1, help: "fraction of the features tried per split" },
  maxBins,
  seed,
  monotonicCst,
} as const;
const alpha = (d: number) => ({ type: "number", min: 0, max: BIG, default: d, help: "L2 penalty on the standardised coefficients" }) as const;

/**
 * Every model simlab can fit: name → summary, parameter schema, constructor and JSON loader. Adding a model is
 * one entry here; `ModelName`, `ModelParams`, parameter names, parsing and validation (registry.ts) follow.
 * The defaults must equal what the constructors use (a test holds them together).
 */
export const modelTable = {
  linear: entry({ summary: "least squares", params: { alpha: alpha(0) }, create: (p) => new LinearRegression(p), fromJSON: LinearRegression.fromJSON }),
  ridge: entry({ summary: "ridge regression", params: { alpha: alpha(1) }, create: (p) => new Ridge(p), fromJSON: LinearRegression.fromJSON }),
  costmodel: entry({
    summary: "fitted analytical cost model: non-negative least squares on the features",
    params: {
      intercept: { type: "boolean", default: true, help: "add a non-negative constant" },
      relative: { type: "boolean", default: false, help: "fit relative errors (targets in seconds)" },
    },
    create: (p) => new CostModel(p),
    fromJSON: CostModel.fromJSON,
  }),
  cart: entry({
    summary: "exact CART through ml-cart (slow; a reference)",
    params: {
      maxDepth: { type: "integer", min: 1, max: 1000, help: "maximum depth (default unlimited)" },
      minSamples: { type: "integer", min: 1, max: 1e9, default: 3, help: "nodes with fewer rows become leaves" },
    },
    create: (p) => new CartRegressor(p),
    fromJSON: CartRegressor.fromJSON,
  }),
  tree: entry({ summary: "histogram regression tree", params: treeSchema, create: (p) => new DecisionTreeRegressor(p), fromJSON: DecisionTreeRegressor.fromJSON }),
  forest: entry({
    summary: "random forest of histogram trees",
    params: {
      ...treeSchema,
      nEstimators: { type: "integer", min: 1, max: 10_000, default: 100, help: "number of trees" },
      bootstrap: { type: "boolean", default: true, help: "each tree sees a bootstrap sample" },
    },
    create: (p) => new RandomForestRegressor(p),
    fromJSON: RandomForestRegressor.fromJSON,
  }),
  boosting: entry({
    summary: "gradient boosting of histogram trees",
    params: {
      learningRate: { type: "number", min: 0, exclusiveMin: true, max: 10, default: 0.1, help: "shrinkage of each tree" },
      maxIter: { type: "integer", min: 1, max: 100_000, default: 100, help: "boosting iterations" },
      maxLeafNodes: { type: "integer", min: 2, max: 1_000_000, help: "leaves per tree (default 31 unless max_depth is set)" },
      maxDepth: { type: "integer", min: 1, max: 1000, help: "maximum depth (default unlimited)" },
      minSamplesLeaf: { type: "integer", min: 1, max: 1e9, default: 20, help: "fewest rows in a leaf" },
      l2: { type: "number", min: 0, max: BIG, default: 0, help: "L2 penalty on leaf values" },
      maxBins,
      earlyStopping: { type: "boolean", default: false, help: "stop when a held-out loss stalls" },
      validationFraction: { type: "number", min: 0, exclusiveMin: true, max: 0.9, default: 0.1, help: "held-out fraction for early stopping" },
      nIterNoChange: { type: "integer", min: 1, max: 100_000, default: 10, help: "iterations without improvement before stopping" },
      tol: { type: "number", min: 0, max: BIG, default: 1e-7, help: "improvement that counts for early stopping" },
      seed,
      loss: { type: "choice", choices: ["squared", "pairwise"], default: "squared", help: "squared error, or pairwise ranking within groups" },
      init: { type: "choice", choices: ["mean", "costmodel"], default: "mean", help: "start from the mean or from the fitted cost model" },
      monotonicCst,
      monotonicWork: { type: "boolean", default: false, help: "runtime non-decreasing in the work features (Ir, Bc, fixed cost), by name" },
      guard: { type: "choice", choices: ["none", "cost"], default: "none", help: "cost: blend rows outside the training range toward the fixed cost model" },
      guardTolerance: { type: "number", min: 0, max: 1e6, default: 0.1, help: "slack beyond the training range, as a fraction of it, before the guard acts" },
      guardFloor: { type: "number", min: 0, max: 1, default: 0, help: "the fixed cost model's share in every prediction (shrinkage toward physics)" },
    },
    create: (p) => new GradientBoostingRegressor(p),
    fromJSON: GradientBoostingRegressor.fromJSON,
  }),
  knn: entry({
    summary: "k nearest neighbours on standardised features",
    params: {
      k: { type: "integer", min: 1, max: 1_000_000, default: 5, help: "neighbours" },
      weights: { type: "choice", choices: ["uniform", "distance"], default: "uniform", help: "mean, or weighted by 1/distance" },
    },
    create: (p) => new KnnRegressor(p),
    fromJSON: KnnRegressor.fromJSON,
  }),
  xgboost: entry({
    summary: "gradient boosting through ml-xgboost (optional, WebAssembly)",
    params: {
      nEstimators: { type: "integer", min: 1, max: 10_000, default: 100, help: "boosting rounds" },
      maxDepth: { type: "integer", min: 1, max: 64, default: 6, help: "maximum depth" },
      learningRate: { type: "number", min: 0, exclusiveMin: true, max: 10, default: 0.3, help: "shrinkage (eta)" },
      subsample: { type: "number", min: 0, exclusiveMin: true, max: 1, default: 1, help: "row fraction per round" },
      colsampleBytree: { type: "number", min: 0, exclusiveMin: true, max: 1, default: 1, help: "feature fraction per tree" },
      minChildWeight: { type: "number", min: 0, max: BIG, default: 1, help: "fewest hessian in a child" },
      l2: { type: "number", min: 0, max: BIG, default: 1, help: "L2 penalty on leaf weights (lambda)" },
      seed,
    },
    create: (p) => XGBoostRegressor.create(p),
    fromJSON: XGBoostRegressor.fromJSON,
  }),
} as const;

/**
 * What `%fit` / `simlab fit` / `fitTable` use when no model is named: boosting that ranks the variants of each
 * group against each other (pairwise loss, scale-free like the ranking criterion) starting from the fitted cost
 * model (non-negative weights per event, which still extrapolates where the trees, constant outside their training
 * range, cannot). Chosen from leave-one-group-out on datasets/paper.csv with the default recipe (bench/paper-ranking):
 * fastest variant at worst 12.1 % / mean 5.8 % of its group, against 13.6 % / 6.8 % for plain squared-error boosting,
 * 14.0 % / 6.4 % pairwise alone, 13.1 % / 6.6 % squared from the cost model, and 31 % / 19 % for the fixed cost
 * Ir + 10·(D1mr + D1mw). Those differences are within the labels' noise (a re-measurement puts the fastest at
 * worst 7.6 %); the physical arguments decide as much as the numbers. Given model parameters override these.
 */
export const defaultModel = { model: "boosting", params: { loss: "pairwise", init: "costmodel" } } as const;

/**
 * The model for kernels unlike the training data (another generator, another regime): the default's boosting
 * with runtime non-decreasing in the work counts (Ir, Bc, the fixed cost: monotonic_work) and every prediction
 * shrunk halfway toward the fixed physical cost (guard_floor=0.5: the mean, in log-runtime, of what the data says
 * and what the cost model says). Chosen on datasets/paper.csv alone (the floor from 0.1…0.8, 0.5 being the round
 * value in the flat optimum): leave-one-group-out worst 10.6 % / mean 4.1 % (default 12.1 / 5.8), leave one
 * generator out 12.1 / 6.6 (default 16.2 / 5.7). Trained on paper.csv and applied to datasets/transfer.csv it
 * puts the fastest at worst 40.3 % / mean 15.2 % (default 86.1 / 26.9; the fixed cost Ir + 10·L1 misses 37.0 /
 * 18.0): better than the default everywhere but on the generator-out mean, yet short of the fixed cost's worst
 * group, so it is not the default. `--params loss=pairwise,init=costmodel,monotonic_work=true,guard_floor=0.5`.
 */
export const transferModel = { model: "boosting", params: { loss: "pairwise", init: "costmodel", monotonicWork: true, guardFloor: 0.5 } } as const;
