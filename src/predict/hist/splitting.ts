import { BINS_STRIDE, type Histogram } from "./histogram.js";

/**
 * Step 3 of the histogram trees: the best split of a node from its histogram. For squared error with
 * per-sample values v (the target, or the gradient in boosting) and an L2 penalty λ on leaf values,
 * a node with sum G over H samples scores G² / (H + λ), and a split's gain is
 *   gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ),
 * which for λ = 0 is exactly the reduction in the sum of squared errors (CART's variance reduction).
 * Candidates are "bin ≤ b goes left" for every bin boundary b with at least minSamplesLeaf samples per side.
 * The returned bin is already centred in the gap between occupied bins.
 */
export interface SplitInfo {
  feature: number;
  bin: number;
  gain: number;
  leftSum: number;
  leftCount: number;
  /** The children's values S / (H + λ), clipped to the node's bounds (before any shrinkage). */
  leftValue: number;
  rightValue: number;
}

export interface SplitConstraints {
  minSamplesLeaf: number;
  l2: number;
  /**
   * Per feature +1 (output non-decreasing in the feature), −1 (non-increasing) or 0, as scikit-learn's
   * `monotonic_cst`. Absent: no feature is constrained, and the fast unconstrained scan runs.
   */
  monotonic?: Int8Array;
}

/**
 * The range a node's value must stay in, inherited from the constrained splits above it (see grower.ts):
 * (−∞, ∞) at the root and wherever no monotone constraint applies.
 */
export interface ValueBounds {
  lower: number;
  upper: number;
}

export const UNBOUNDED: ValueBounds = { lower: -Infinity, upper: Infinity };

/** A node's value S / (H + λ) (values point in the output's direction: targets or negative gradients), clipped. */
export function nodeValue(sum: number, count: number, l2: number, b: ValueBounds): number {
  const v = count + l2 > 0 ? sum / (count + l2) : 0;
  return v < b.lower ? b.lower : v > b.upper ? b.upper : v;
}

/**
 * Score of giving value w to a node with sum S over H samples: 2 S w − (H + λ) w², the reduction in squared
 * error (plus penalty) from predicting 0. At the unclipped optimum w = S / (H + λ) it is S² / (H + λ).
 */
function valueScore(sum: number, count: number, l2: number, w: number): number {
  return 2 * sum * w - (count + l2) * w * w;
}

/**
 * Monotone-constrained candidate, as scikit-learn's split finder does: both children's values clipped to the
 * node's bounds, a split on a constrained feature rejected (−∞) when it orders the children against the
 * constraint, otherwise the score of the clipped values.
 */
function constrainedScore(gl: number, hl: number, gr: number, hr: number, l2: number, b: ValueBounds, cst: number): number {
  const wl = nodeValue(gl, hl, l2, b), wr = nodeValue(gr, hr, l2, b);
  if ((cst > 0 && wl > wr) || (cst < 0 && wl < wr)) return -Infinity;
  return valueScore(gl, hl, l2, wl) + valueScore(gr, hr, l2, wr);
}

/** Gains below this fraction of the node's own score are rounding noise (a pure node). */
const RELATIVE_GAIN_EPSILON = 1e-10;

export function findBestSplit(
  hist: Histogram,
  sum: number,
  count: number,
  features: ArrayLike<number>,
  c: SplitConstraints,
  bounds: ValueBounds = UNBOUNDED,
): SplitInfo | undefined {
  if (c.monotonic) return findBestSplitConstrained(hist, sum, count, features, c, c.monotonic, bounds);
  const { data, lo, hi } = hist;
  const minLeaf = c.minSamplesLeaf, l2 = c.l2;
  const parentScore = (sum * sum) / (count + l2);
  let bestGain = RELATIVE_GAIN_EPSILON * Math.abs(parentScore);
  // Scanned without division: a candidate wins when G_L² H_R' + G_R² H_L' > (best gain + parent score) H_L' H_R'
  // (H' = H + λ > 0); its gain is computed only then.
  let bestScore = bestGain + parentScore;
  let bestFeature = -1, bestBin = 0, bestSum = 0, bestCount = 0;
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const base = f * BINS_STRIDE;
    let gl = 0, hl = 0;
    for (let b = 2 * (base + lo[f]!), e = 2 * (base + hi[f]!); b < e; b += 2) {
      // No test for empty bins (an unpredictable branch): they repeat the previous candidate, whose gain
      // they only tie, so the last occupied bin stays the split.
      gl += data[b]!;
      hl += data[b + 1]!;
      if (hl < minLeaf) continue;
      const hr = count - hl;
      if (hr < minLeaf) break;
      const gr = sum - gl;
      const hlp = hl + l2, hrp = hr + l2;
      if (gl * gl * hrp + gr * gr * hlp > bestScore * hlp * hrp) {
        const score = (gl * gl) / hlp + (gr * gr) / hrp;
        if (score - parentScore > bestGain) {
          bestGain = score - parentScore;
          bestScore = score;
          bestFeature = f;
          bestBin = (b >> 1) - base;
          bestSum = gl;
          bestCount = hl;
        }
      }
    }
  }
  if (bestFeature < 0) return undefined;
  return chosenSplit(hist, { feature: bestFeature, bin: bestBin, gain: bestGain, leftSum: bestSum, leftCount: bestCount }, sum, count, l2, UNBOUNDED);
}

/** The split a scan chose, its bin centred in the gap before the next occupied bin (see centre()), with its values. */
function chosenSplit(hist: Histogram, s: Omit<SplitInfo, "leftValue" | "rightValue">, sum: number, count: number, l2: number, b: ValueBounds): SplitInfo {
  const base = s.feature * BINS_STRIDE;
  let next = s.bin + 1;
  while (next < hist.hi[s.feature]! && hist.data[2 * (base + next) + 1] === 0) next++;
  return withValues({ ...s, bin: centre(s.bin, next) }, sum, count, l2, b);
}

function withValues(s: Omit<SplitInfo, "leftValue" | "rightValue">, sum: number, count: number, l2: number, b: ValueBounds): SplitInfo {
  return { ...s, leftValue: nodeValue(s.leftSum, s.leftCount, l2, b), rightValue: nodeValue(sum - s.leftSum, count - s.leftCount, l2, b) };
}

/** findBestSplit with monotone constraints and value bounds: every candidate scored by constrainedScore. */
function findBestSplitConstrained(
  hist: Histogram,
  sum: number,
  count: number,
  features: ArrayLike<number>,
  c: SplitConstraints,
  monotonic: Int8Array,
  bounds: ValueBounds,
): SplitInfo | undefined {
  const { data, lo, hi } = hist;
  const minLeaf = c.minSamplesLeaf, l2 = c.l2;
  const parentScore = valueScore(sum, count, l2, nodeValue(sum, count, l2, bounds));
  let bestGain = RELATIVE_GAIN_EPSILON * Math.abs(parentScore);
  let bestFeature = -1, bestBin = 0, bestSum = 0, bestCount = 0;
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const base = f * BINS_STRIDE;
    const cst = monotonic[f]!;
    let gl = 0, hl = 0;
    for (let b = 2 * (base + lo[f]!), e = 2 * (base + hi[f]!); b < e; b += 2) {
      gl += data[b]!;
      hl += data[b + 1]!;
      if (hl < minLeaf) continue;
      const hr = count - hl;
      if (hr < minLeaf) break;
      const gain = constrainedScore(gl, hl, sum - gl, hr, l2, bounds, cst) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestBin = (b >> 1) - base;
        bestSum = gl;
        bestCount = hl;
      }
    }
  }
  if (bestFeature < 0) return undefined;
  return chosenSplit(hist, { feature: bestFeature, bin: bestBin, gain: bestGain, leftSum: bestSum, leftCount: bestCount }, sum, count, l2, bounds);
}

/**
 * Any bin from the last occupied bin on the left up to (not including) the first occupied bin on the right
 * gives the same partition of the node's samples; take the middle one, so that unseen values in the gap are
 * split near the midpoint between the neighbouring training values (as exact CART does), not at one edge.
 */
function centre(lastLeft: number, firstRight: number): number {
  return (lastLeft + firstRight - 1) >> 1;
}

/** Nodes with at most this many samples are split by sorting their codes instead of through a histogram. */
export const SMALL_NODE = 24;

/**
 * The same best split for a small node (≤ SMALL_NODE samples), found without a histogram: per feature,
 * insertion-sort the samples' codes and scan the boundaries between distinct codes. Scanning 255 bins per
 * feature would cost more than the node's few samples. `keys` and `ordered` are scratch space.
 */
export function findBestSplitSmall(
  codes: readonly Uint8Array[],
  values: Float64Array,
  indices: Uint32Array,
  start: number,
  end: number,
  sum: number,
  features: ArrayLike<number>,
  c: SplitConstraints,
  keys: Int32Array,
  ordered: Float64Array,
  bounds: ValueBounds = UNBOUNDED,
): SplitInfo | undefined {
  const n = end - start;
  const minLeaf = c.minSamplesLeaf, l2 = c.l2;
  const monotonic = c.monotonic;
  for (let j = 0; j < n; j++) ordered[j] = values[indices[start + j]!]!;
  const parentScore = monotonic ? valueScore(sum, n, l2, nodeValue(sum, n, l2, bounds)) : (sum * sum) / (n + l2);
  let bestGain = RELATIVE_GAIN_EPSILON * Math.abs(parentScore);
  let bestFeature = -1, bestBin = 0, bestSum = 0, bestCount = 0;
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const col = codes[f]!;
    for (let j = 0; j < n; j++) {
      const key = (col[indices[start + j]!]! << 8) | j;
      let i = j - 1;
      while (i >= 0 && keys[i]! > key) {
        keys[i + 1] = keys[i]!;
        i--;
      }
      keys[i + 1] = key;
    }
    let gl = 0;
    for (let j = 0; j < n - 1; j++) {
      const key = keys[j]!;
      gl += ordered[key & 255]!;
      const hl = j + 1;
      const code = key >> 8, nextCode = keys[j + 1]! >> 8;
      if (nextCode === code || hl < minLeaf) continue;
      const hr = n - hl;
      if (hr < minLeaf) break;
      const gr = sum - gl;
      const score = monotonic ? constrainedScore(gl, hl, gr, hr, l2, bounds, monotonic[f]!) : (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
      const gain = score - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestBin = centre(code, nextCode);
        bestSum = gl;
        bestCount = hl;
      }
    }
  }
  if (bestFeature < 0) return undefined;
  return withValues({ feature: bestFeature, bin: bestBin, gain: bestGain, leftSum: bestSum, leftCount: bestCount }, sum, n, l2, monotonic ? bounds : UNBOUNDED);
}
