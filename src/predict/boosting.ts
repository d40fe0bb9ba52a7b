import { MAX_BINS, applyBins, fitBins } from "./binning.js";
import { type Estimator, type EstimatorJSON, normalise, notFitted } from "./estimator.js";
import { TreeGrower } from "./grower.js";
import { type FeatureInput, checkTrainingData, rowCount, takeRows, toColumns } from "./matrix.js";
import { type TreeNodes, type TreeNodesJSON, addBinnedTreePrediction, addGainImportance, addTreePrediction, treeFromJSON, treeToJSON } from "./predictor.js";
import { Random, range } from "./random.js";

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
}

/**
 * Gradient boosting of histogram trees with squared loss: start from the mean, then each iteration fits
 * a tree to the gradients g = prediction − y (hessian 1) and adds −learningRate · G / (H + l2) per leaf.
 * Training predictions are updated from the grower's leaf slices, never by re-traversing the tree.
 */
export class GradientBoostingRegressor implements Estimator<BoostingParams> {
  readonly name = "boosting";
  readonly params: BoostingParams;
  private baseline = 0;
  private trees?: TreeNodes[];
  private nFeatures = 0;

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
    };
    if (params.maxDepth !== undefined && params.maxDepth !== null) this.params.maxDepth = params.maxDepth;
    if (params.maxLeafNodes !== undefined && params.maxLeafNodes !== null) this.params.maxLeafNodes = params.maxLeafNodes;
    else if (this.params.maxDepth === undefined) this.params.maxLeafNodes = 31;
  }

  /** Number of trees actually grown (fewer than maxIter when early stopping triggered). */
  get nIter(): number {
    return (this.trees ?? notFitted(this.name)).length;
  }

  fit(input: FeatureInput, yInput: ArrayLike<number>): this {
    let x = toColumns(input);
    checkTrainingData(x, yInput);
    let y = Float64Array.from(yInput);
    const p = this.params;
    const rng = new Random(p.seed);
    let validation: { x: Float64Array[]; y: Float64Array } | undefined;
    if (p.earlyStopping) {
      const order = rng.shuffle(range(y.length));
      const nVal = Math.max(1, Math.floor(p.validationFraction * y.length));
      const val = order.subarray(0, nVal), train = order.subarray(nVal);
      validation = { x: takeRows(x, val), y: Float64Array.from(val, (i) => y[i]!) };
      x = takeRows(x, train);
      y = Float64Array.from(train, (i) => y[i]!);
    }
    const n = y.length;
    const bins = fitBins(x, p.maxBins, p.seed);
    const grower = new TreeGrower({ codes: applyBins(bins, x), thresholds: bins.thresholds });
    const grow = {
      maxDepth: p.maxDepth ?? Infinity,
      maxLeafNodes: p.maxLeafNodes ?? Infinity,
      minSamplesLeaf: p.minSamplesLeaf,
      minSamplesSplit: 2,
      l2: p.l2,
      maxFeatures: x.length,
    };
    let baseline = 0;
    for (let i = 0; i < n; i++) baseline += y[i]!;
    baseline /= n;
    const raw = new Float64Array(n).fill(baseline);
    const gradient = new Float64Array(n);
    const indices = range(n);
    const leafValue = (g: number, h: number) => (-p.learningRate * g) / (h + p.l2);
    const valCodes = validation && applyBins(bins, validation.x);
    const valRaw = validation && new Float64Array(validation.y.length).fill(baseline);
    const valLosses: number[] = [];
    const trees: TreeNodes[] = [];
    for (let it = 0; it < p.maxIter; it++) {
      for (let i = 0; i < n; i++) gradient[i] = raw[i]! - y[i]!;
      const { nodes, leaves } = grower.grow(gradient, indices, grow, leafValue);
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
    this.trees = trees;
    this.nFeatures = x.length;
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const trees = this.trees ?? notFitted(this.name);
    const x = toColumns(input);
    const out = new Float64Array(rowCount(x)).fill(this.baseline);
    for (const t of trees) addTreePrediction(t, x, out);
    return out;
  }

  featureImportance(): Float64Array {
    const imp = new Float64Array(this.nFeatures);
    for (const t of this.trees ?? notFitted(this.name)) addGainImportance(t, imp);
    return normalise(imp);
  }

  toJSON(): EstimatorJSON {
    const trees = this.trees ?? notFitted(this.name);
    return { model: this.name, params: this.params, state: { baseline: this.baseline, nFeatures: this.nFeatures, trees: trees.map(treeToJSON) } };
  }

  static fromJSON(json: EstimatorJSON): GradientBoostingRegressor {
    const m = new GradientBoostingRegressor(json.params as Partial<BoostingParams>);
    const s = json.state as { baseline: number; nFeatures: number; trees: TreeNodesJSON[] };
    m.baseline = s.baseline;
    m.trees = s.trees.map(treeFromJSON);
    m.nFeatures = s.nFeatures;
    return m;
  }
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
