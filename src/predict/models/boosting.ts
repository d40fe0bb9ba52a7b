import { SimlabError } from "../../core/errors.js";
import { MAX_BINS, applyBins } from "../hist/binning.js";
import { CostModel } from "./costmodel.js";
import { type Estimator, type EstimatorJSON, type FitContext, normalise, notFitted } from "../estimator.js";
import { type FeatureInput, rowCount, toColumns } from "../matrix.js";
import type { MonotonicSetting } from "../hist/monotonic.js";
import { type TreeNodes, type TreeNodesJSON, addBinnedTreePrediction, addGainImportance, addTreePrediction, treeFromJSON, treeToJSON } from "../hist/predictor.js";
import { prepareTreeFit } from "../hist/prepare.js";
import { PairwiseObjective } from "./pairwise.js";
import { RangeGuard, type RangeGuardJSON } from "./range-guard.js";
import { range } from "../random.js";
import { workSigns } from "../work-signs.js";

/** scikit-learn's HistGradientBoostingRegressor parameters and defaults, camelCase. */
export interface BoostingParams {
  learningRate: number;
  maxIter: number;
  /** Leaves per tree (best-first growth); unlimited when absent and maxDepth is set. */
  maxLeafNodes?: number;
  maxDepth?: number;
  minSamplesLeaf: number;
  /** L2 penalty on leaf values. */
  l2: number;
  maxBins: number;
  /** Hold out validationFraction of the rows and stop when the validation loss stalls. */
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  seed: number;
  /** `squared`: regression on the target. `pairwise`: rank the rows within each group (pairwise.ts). */
  loss: "squared" | "pairwise";
  /**
   * Where boosting starts: `mean` (the target's mean; 0 for pairwise) or `costmodel` — a non-negative least
   * squares fit of the target on the features (costmodel.ts), whose prediction the trees then correct.
   */
  init: "mean" | "costmodel";
  /** Monotone constraints, one sign or one per feature (see hist/monotonic.ts); absent = none. */
  monotonicCst?: MonotonicSetting;
  /**
   * `cost`: rows whose features leave the training range are blended toward the fixed physical cost model by the
   * share of features outside it (range-guard.ts); `none`: the trees alone.
   */
  guard: "none" | "cost";
  /**
   * Runtime non-decreasing in the work features (Ir, Bc, the fixed cost; work-signs.ts), found by name; explicit
   * `monotonicCst` signs take precedence.
   */
  monotonicWork: boolean;
  /** How far beyond the training range, as a fraction of it, a feature still counts as inside. */
  guardTolerance: number;
  /** The fixed cost model's share in every prediction, in range or not (range-guard.ts); works with or without guard=cost. */
  guardFloor: number;
}

/**
 * Gradient boosting of histogram trees. Squared loss: start from the mean (or the fitted cost model), then
 * each iteration fits a tree to the residuals r = y − prediction (the negative gradient, hessian 1) and adds
 * learningRate · R / (H + l2) per leaf. Pairwise loss: the tree fits the negative gradients of the pairwise
 * objective divided by their mean second derivative (a Newton step with one curvature for all rows, which keeps
 * monotone constraints intact). Training predictions are updated from the grower's leaf slices, never by
 * re-traversing the tree.
 */
export class GradientBoostingRegressor implements Estimator<BoostingParams> {
  readonly name = "boosting";
  readonly params: BoostingParams;
  private baseline = 0;
  private initModel?: CostModel;
  private trees?: TreeNodes[];
  private nFeatures = 0;
  /** Pairwise loss: outputs mapped onto the target's scale as slope · raw + intercept (the order is kept). */
  private calibration = { slope: 1, intercept: 0 };
  private rangeGuard?: RangeGuard;

  constructor(params: Partial<BoostingParams> = {}) {
    this.params = {
      learningRate: params.learningRate ?? 0.1,
      maxIter: params.maxIter ?? 100,
      minSamplesLeaf: params.minSamplesLeaf ?? 20,
      l2: params.l2 ?? 0,
      maxBins: params.maxBins ?? MAX_BINS,
      earlyStopping: params.earlyStopping ?? false,
      validationFraction: params.validationFraction ?? 0.1,
      nIterNoChange: params.nIterNoChange ?? 10,
      tol: params.tol ?? 1e-7,
      seed: params.seed ?? 0,
      loss: params.loss ?? "squared",
      init: params.init ?? "mean",
      guard: params.guard ?? "none",
      guardTolerance: params.guardTolerance ?? 0.1,
      guardFloor: params.guardFloor ?? 0,
      monotonicWork: params.monotonicWork ?? false,
    };
    if (params.monotonicCst !== undefined && params.monotonicCst !== null) this.params.monotonicCst = params.monotonicCst;
    if (params.maxDepth !== undefined && params.maxDepth !== null) this.params.maxDepth = params.maxDepth;
    if (params.maxLeafNodes !== undefined && params.maxLeafNodes !== null) this.params.maxLeafNodes = params.maxLeafNodes;
    else if (this.params.maxDepth === undefined) this.params.maxLeafNodes = 31;
  }

  /** Number of trees actually grown (fewer than maxIter when early stopping triggered). */
  get nIter(): number {
    return (this.trees ?? notFitted(this.name)).length;
  }

  fit(input: FeatureInput, yInput: ArrayLike<number>, context: FitContext = {}): this {
    const p = this.params;
    if (p.earlyStopping && p.loss === "pairwise") throw new SimlabError("early stopping is not available with the pairwise loss", "drop early_stopping, or use loss=squared");
    if (p.monotonicWork && p.monotonicCst === undefined && context.featureNames === undefined) throw new SimlabError("monotonic_work needs the features' names", "fit through fitTable / %fit / simlab fit, or give monotonic_cst signs");
    const monotonicCst = p.monotonicCst ?? (p.monotonicWork && context.featureNames ? workSigns(context.featureNames) : undefined);
    const { x, y, bins, grower, grow, validation } = prepareTreeFit(input, yInput, {
      ...p,
      ...(monotonicCst !== undefined ? { monotonicCst } : {}),
      shrinkage: p.learningRate,
      holdOut: p.earlyStopping ? p.validationFraction : undefined,
    });
    const n = y.length;
    let baseline = 0;
    if (p.loss === "squared" && p.init === "mean") {
      for (let i = 0; i < n; i++) baseline += y[i]!;
      baseline /= n;
    }
    const initModel = p.init === "costmodel" ? new CostModel().fit(x, y) : undefined;
    const start = (rows: readonly Float64Array[], count: number) => (initModel ? initModel.predict(rows) : new Float64Array(count).fill(baseline));
    const raw = start(x, n);
    const residual = new Float64Array(n);
    const pairwise = p.loss === "pairwise" ? new PairwiseObjective(y, context.groups, p.seed) : undefined;
    const gradient = new Float64Array(n), hessian = new Float64Array(n);
    const indices = range(n);
    const valCodes = validation && applyBins(bins, validation.x);
    const valRaw = validation && start(validation.x, validation.y.length);
    const valLosses: number[] = [];
    const trees: TreeNodes[] = [];
    for (let it = 0; it < p.maxIter; it++) {
      if (pairwise) {
        pairwise.derivatives(raw, gradient, hessian);
        let curvature = 0;
        for (let i = 0; i < n; i++) curvature += hessian[i]!;
        curvature = curvature > 0 ? curvature / n : 1;
        for (let i = 0; i < n; i++) residual[i] = -gradient[i]! / curvature;
      } else {
        for (let i = 0; i < n; i++) residual[i] = y[i]! - raw[i]!;
      }
      const { nodes, leaves } = grower.grow(residual, indices, grow);
      trees.push(nodes);
      for (const leaf of leaves) {
        const v = nodes.value[leaf.node]!;
        for (let i = leaf.start; i < leaf.end; i++) raw[indices[i]!]! += v;
      }
      if (validation && valCodes && valRaw) {
        addBinnedTreePrediction(nodes, valCodes, valRaw);
        let loss = 0;
        for (let i = 0; i < valRaw.length; i++) loss += (valRaw[i]! - validation.y[i]!) ** 2;
        valLosses.push(loss / valRaw.length);
        if (stalled(valLosses, p.nIterNoChange, p.tol)) break;
      }
      if (leaves.length === 1 && it > 0) break; // nothing left to fit
    }
    this.baseline = baseline;
    this.initModel = initModel;
    this.trees = trees;
    this.calibration = pairwise ? calibrate(raw, y) : { slope: 1, intercept: 0 };
    const anchored = p.guard === "cost" || p.guardFloor > 0;
    this.rangeGuard = anchored ? RangeGuard.fit(x, y, p.guard === "cost" ? p.guardTolerance : null, context.featureNames, p.guardFloor) : undefined;
    this.nFeatures = x.length;
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const trees = this.trees ?? notFitted(this.name);
    const x = toColumns(input);
    const out = this.initModel ? this.initModel.predict(x) : new Float64Array(rowCount(x)).fill(this.baseline);
    for (const t of trees) addTreePrediction(t, x, out);
    const { slope, intercept } = this.calibration;
    if (slope !== 1 || intercept !== 0) for (let i = 0; i < out.length; i++) out[i] = slope * out[i]! + intercept;
    return this.rangeGuard ? this.rangeGuard.blend(x, out) : out;
  }

  featureImportance(): Float64Array {
    const imp = new Float64Array(this.nFeatures);
    for (const t of this.trees ?? notFitted(this.name)) addGainImportance(t, imp);
    return normalise(imp);
  }

  toJSON(): EstimatorJSON {
    const trees = this.trees ?? notFitted(this.name);
    return { model: this.name, params: this.params, state: { baseline: this.baseline, calibration: this.calibration, init: this.initModel?.toJSON(), nFeatures: this.nFeatures, trees: trees.map(treeToJSON), ...(this.rangeGuard ? { guard: this.rangeGuard.toJSON() } : {}) } };
  }

  static fromJSON(json: EstimatorJSON): GradientBoostingRegressor {
    const m = new GradientBoostingRegressor(json.params as Partial<BoostingParams>);
    const s = json.state as { baseline: number; calibration?: { slope: number; intercept: number }; init?: EstimatorJSON; nFeatures: number; trees: TreeNodesJSON[]; guard?: RangeGuardJSON };
    m.baseline = s.baseline;
    if (s.calibration) m.calibration = s.calibration;
    if (s.init) m.initModel = CostModel.fromJSON(s.init);
    m.trees = s.trees.map(treeFromJSON);
    if (s.guard) m.rangeGuard = RangeGuard.fromJSON(s.guard);
    m.nFeatures = s.nFeatures;
    return m;
  }
}

/**
 * The pairwise loss fixes only the order of a group's outputs, not their scale. The least-squares line from
 * training outputs to the training target puts predictions back in target units (so predicted-vs-measured
 * plots and error metrics mean something) without changing any order: the slope is kept positive.
 */
function calibrate(raw: Float64Array, y: Float64Array): { slope: number; intercept: number } {
  const n = raw.length;
  let mr = 0, my = 0;
  for (let i = 0; i < n; i++) (mr += raw[i]!), (my += y[i]!);
  mr /= n;
  my /= n;
  let cov = 0, varRaw = 0;
  for (let i = 0; i < n; i++) (cov += (raw[i]! - mr) * (y[i]! - my)), (varRaw += (raw[i]! - mr) ** 2);
  const slope = varRaw > 0 && cov > 0 ? cov / varRaw : Number.EPSILON;
  return { slope, intercept: my - slope * mr };
}

/**
 * scikit-learn's rule: stop when none of the last nIterNoChange losses improved on the loss
 * nIterNoChange + 1 iterations ago by more than tol.
 */
function stalled(losses: number[], nIterNoChange: number, tol: number): boolean {
  if (losses.length <= nIterNoChange) return false;
  const reference = losses[losses.length - nIterNoChange - 1]!;
  return losses.slice(-nIterNoChange).every((l) => !(l < reference - tol));
}
