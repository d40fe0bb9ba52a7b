import { MAX_BINS } from "../hist/binning.js";
import { type Estimator, type EstimatorJSON, normalise, notFitted } from "../estimator.js";
import { type FeatureInput, rowCount, toColumns } from "../matrix.js";
import type { MonotonicSetting } from "../hist/monotonic.js";
import { type TreeNodes, type TreeNodesJSON, addGainImportance, addTreePrediction, treeFromJSON, treeToJSON } from "../hist/predictor.js";
import { prepareTreeFit } from "../hist/prepare.js";
import { Random, range } from "../random.js";

/** Parameters shared by the regression tree and the random forest (scikit-learn's names, camelCase). */
export interface TreeParams {
  /** Unlimited when absent. */
  maxDepth?: number;
  /** Unlimited when absent; when set, the tree grows best-first. */
  maxLeafNodes?: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Fraction (0, 1] of the features tried at each split. */
  maxFeatures: number;
  /** Histogram bins per feature, ≤ 255. */
  maxBins: number;
  seed: number;
  /** Monotone constraints, one sign or one per feature (see hist/monotonic.ts); absent = none. */
  monotonicCst?: MonotonicSetting;
}

export function treeParams(p: Partial<TreeParams>): TreeParams {
  const out: TreeParams = {
    minSamplesLeaf: p.minSamplesLeaf ?? 1,
    minSamplesSplit: p.minSamplesSplit ?? 2,
    maxFeatures: p.maxFeatures ?? 1,
    maxBins: p.maxBins ?? MAX_BINS,
    seed: p.seed ?? 0,
  };
  if (p.maxDepth !== undefined && p.maxDepth !== null) out.maxDepth = p.maxDepth;
  if (p.maxLeafNodes !== undefined && p.maxLeafNodes !== null) out.maxLeafNodes = p.maxLeafNodes;
  if (p.monotonicCst !== undefined && p.monotonicCst !== null) out.monotonicCst = p.monotonicCst;
  if (!(out.maxFeatures > 0 && out.maxFeatures <= 1)) throw new RangeError("maxFeatures must be a fraction in (0, 1]");
  return out;
}

/** A CART regression tree (squared error) grown on histograms of binned features. */
export class DecisionTreeRegressor implements Estimator<TreeParams> {
  readonly name = "tree";
  readonly params: TreeParams;
  private nodes?: TreeNodes;
  private nFeatures = 0;

  constructor(params: Partial<TreeParams> = {}) {
    this.params = treeParams(params);
  }

  fit(input: FeatureInput, y: ArrayLike<number>): this {
    const { x, y: values, grower, grow } = prepareTreeFit(input, y, this.params);
    this.nodes = grower.grow(values, range(values.length), grow, new Random(this.params.seed)).nodes;
    this.nFeatures = x.length;
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const nodes = this.nodes ?? notFitted(this.name);
    const x = toColumns(input);
    const out = new Float64Array(rowCount(x));
    addTreePrediction(nodes, x, out);
    return out;
  }

  /** Total squared-error reduction of each feature's splits, normalised (scikit-learn's impurity importance). */
  featureImportance(): Float64Array {
    const imp = new Float64Array(this.nFeatures);
    addGainImportance(this.nodes ?? notFitted(this.name), imp);
    return normalise(imp);
  }

  /** Number of nodes (internal + leaves). */
  get nodeCount(): number {
    return (this.nodes ?? notFitted(this.name)).left.length;
  }

  toJSON(): EstimatorJSON {
    return { model: this.name, params: this.params, state: { nFeatures: this.nFeatures, nodes: treeToJSON(this.nodes ?? notFitted(this.name)) } };
  }

  static fromJSON(json: EstimatorJSON): DecisionTreeRegressor {
    const m = new DecisionTreeRegressor(json.params as Partial<TreeParams>);
    const s = json.state as { nFeatures: number; nodes: TreeNodesJSON };
    m.nodes = treeFromJSON(s.nodes);
    m.nFeatures = s.nFeatures;
    return m;
  }
}
