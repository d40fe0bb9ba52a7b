import { type Columns, type FeatureInput, checkTrainingData, takeRows, toColumns } from "../matrix.js";
import { Random, range } from "../random.js";
import { type BinMapper, applyBins, fitBins } from "./binning.js";
import { type GrowParams, TreeGrower } from "./grower.js";
import { type MonotonicSetting, resolveMonotonic } from "./monotonic.js";

/**
 * The fit prologue of every histogram-tree model (tree, forest, boosting): check the training data, hold out a
 * seeded validation share when asked (boosting's early stopping), bin the training rows once (step 1) and set up
 * the grower (step 4) over their codes, with the growth limits and monotone constraints resolved for this many
 * features. What the models do afterwards — one tree, bootstrap trees, boosting rounds — is theirs.
 */
export interface TreeFitSettings {
  maxBins: number;
  seed: number;
  /** Unlimited when absent. */
  maxDepth?: number;
  /** Unlimited when absent; when set, trees grow best-first. */
  maxLeafNodes?: number;
  minSamplesLeaf: number;
  /** Default 2. */
  minSamplesSplit?: number;
  /** Fraction (0, 1] of the features tried at each split; default 1 (all). */
  maxFeatures?: number;
  /** L2 penalty on leaf values; default 0. */
  l2?: number;
  /** Factor on every stored node value (boosting's learning rate); default 1. */
  shrinkage?: number;
  /** Monotone constraints, one sign or one per feature (see monotonic.ts); absent = none. */
  monotonicCst?: MonotonicSetting;
  /** Fraction of the rows held out for validation, chosen by a shuffle seeded with `seed`; absent = none. */
  holdOut?: number;
}

export interface TreeFit {
  /** The training rows: all rows, or those not held out. */
  x: Columns;
  y: Float64Array;
  bins: BinMapper;
  grower: TreeGrower;
  grow: GrowParams;
  /** The held-out rows, when `holdOut` was given. */
  validation?: { x: Columns; y: Float64Array };
}

export function prepareTreeFit(input: FeatureInput, target: ArrayLike<number>, s: TreeFitSettings): TreeFit {
  const all = toColumns(input);
  checkTrainingData(all, target);
  const { x, y, validation } = holdOut(all, Float64Array.from(target), s.holdOut, s.seed);
  const bins = fitBins(x, s.maxBins, s.seed);
  const grower = new TreeGrower({ codes: applyBins(bins, x), thresholds: bins.thresholds });
  const monotonic = resolveMonotonic(s.monotonicCst, x.length);
  const grow: GrowParams = {
    maxDepth: s.maxDepth ?? Infinity,
    maxLeafNodes: s.maxLeafNodes ?? Infinity,
    minSamplesLeaf: s.minSamplesLeaf,
    minSamplesSplit: s.minSamplesSplit ?? 2,
    l2: s.l2 ?? 0,
    maxFeatures: Math.max(1, Math.round((s.maxFeatures ?? 1) * x.length)),
    shrinkage: s.shrinkage ?? 1,
    ...(monotonic ? { monotonic } : {}),
  };
  return { x, y, bins, grower, grow, ...(validation ? { validation } : {}) };
}

/** Splits off max(1, ⌊fraction · n⌋) rows, the first of a seeded shuffle, as the validation set. */
function holdOut(x: Columns, y: Float64Array, fraction: number | undefined, seed: number): Pick<TreeFit, "x" | "y" | "validation"> {
  if (fraction === undefined) return { x, y };
  const order = new Random(seed).shuffle(range(y.length));
  const nVal = Math.max(1, Math.floor(fraction * y.length));
  const val = order.subarray(0, nVal), train = order.subarray(nVal);
  return {
    x: takeRows(x, train),
    y: Float64Array.from(train, (i) => y[i]!),
    validation: { x: takeRows(x, val), y: Float64Array.from(val, (i) => y[i]!) },
  };
}
