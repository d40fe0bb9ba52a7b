import { type Histogram, HistogramPool } from "./histogram.js";
import type { TreeNodes } from "./predictor.js";
import type { Random } from "./random.js";
import { type SplitInfo, centreSplitBin, findBestSplit } from "./splitting.js";

/**
 * Step 4 of the histogram trees: grows one tree over binned data. Depth-first when the number of leaves
 * is unlimited (memory stays O(depth) histograms); best-first by gain when maxLeafNodes is set (as
 * LightGBM and scikit-learn's HistGradientBoosting do). Samples are a Uint32Array of row ids (repeats
 * allowed: bootstrap copies) that is partitioned in place, without sorting, as nodes split.
 */
export interface GrowParams {
  /** Root has depth 0; a node at maxDepth is a leaf. */
  maxDepth: number;
  maxLeafNodes: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** L2 penalty on leaf values (boosting); 0 for plain regression trees. */
  l2: number;
  /** Features tried at each split (random subset when < the number of features). */
  maxFeatures: number;
}

export interface BinnedData {
  codes: readonly Uint8Array[];
  thresholds: readonly Float64Array[];
}

/** A finished leaf and the slice of the (partitioned) sample ids that reached it. */
export interface LeafSlice {
  node: number;
  start: number;
  end: number;
}

export interface GrownTree {
  nodes: TreeNodes;
  leaves: LeafSlice[];
}

interface Pending {
  id: number;
  start: number;
  end: number;
  sum: number;
  depth: number;
  hist: Histogram;
  split: SplitInfo;
}

export class TreeGrower {
  private readonly pool: HistogramPool;
  private ordered: Float64Array;
  private scratch: Uint32Array;
  private readonly featureOrder: Uint32Array;

  constructor(private readonly data: BinnedData) {
    this.pool = new HistogramPool(data.codes.length);
    this.ordered = new Float64Array(0);
    this.scratch = new Uint32Array(0);
    this.featureOrder = Uint32Array.from(data.codes.keys());
  }

  /**
   * Grows a tree fitting `values` (indexed by row id) over the rows `indices` (reordered in place).
   * Leaf values are leafValue(sum of values, count).
   */
  grow(values: Float64Array, indices: Uint32Array, p: GrowParams, leafValue: (sum: number, count: number) => number, rng?: Random): GrownTree {
    if (this.ordered.length < indices.length) {
      this.ordered = new Float64Array(indices.length);
      this.scratch = new Uint32Array(indices.length);
    }
    const nodes = new NodeBuilder();
    const leaves: LeafSlice[] = [];
    const frontier: Pending[] = [];
    const bestFirst = Number.isFinite(p.maxLeafNodes);
    const nFeatures = this.data.codes.length;
    const tryFeatures = Math.max(1, Math.min(nFeatures, Math.floor(p.maxFeatures)));
    const canSplit = (count: number, depth: number) =>
      depth < p.maxDepth && count >= p.minSamplesSplit && count >= 2 * p.minSamplesLeaf;

    const features = (): ArrayLike<number> => {
      if (tryFeatures === nFeatures || !rng) return this.featureOrder;
      const order = this.featureOrder;
      for (let i = 0; i < tryFeatures; i++) {
        const j = i + rng.int(nFeatures - i);
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      return order.subarray(0, tryFeatures);
    };

    // A new node: queue it for splitting when it has a useful split, otherwise it is a finished leaf.
    const consider = (id: number, start: number, end: number, sum: number, depth: number, hist: Histogram | undefined) => {
      const split = hist && findBestSplit(hist, sum, end - start, features(), p);
      if (hist && split) frontier.push({ id, start, end, sum, depth, hist, split });
      else {
        if (hist) this.pool.release(hist);
        leaves.push({ node: id, start, end });
      }
    };

    let rootSum = 0;
    for (let i = 0; i < indices.length; i++) rootSum += values[indices[i]!]!;
    const root = nodes.add(leafValue(rootSum, indices.length));
    let rootHist: Histogram | undefined;
    if (canSplit(indices.length, 0)) {
      rootHist = this.pool.acquire();
      rootHist.build(this.data.codes, values, indices, 0, indices.length, this.ordered);
    }
    consider(root, 0, indices.length, rootSum, 0, rootHist);

    let leafCount = 1;
    while (frontier.length > 0) {
      const node = bestFirst ? takeBest(frontier) : frontier.pop()!;
      if (leafCount >= p.maxLeafNodes) {
        this.pool.release(node.hist);
        leaves.push({ node: node.id, start: node.start, end: node.end });
        continue;
      }
      const { split, hist } = node;
      const bin = centreSplitBin(hist, split);
      const mid = this.partition(indices, node.start, node.end, this.data.codes[split.feature]!, bin);
      const leftCount = mid - node.start, rightCount = node.end - mid;
      const rightSum = node.sum - split.leftSum;
      const left = nodes.add(leafValue(split.leftSum, leftCount));
      const right = nodes.add(leafValue(rightSum, rightCount));
      nodes.setSplit(node.id, split.feature, this.data.thresholds[split.feature]![bin]!, bin, left, right, split.gain);
      leafCount++;

      const depth = node.depth + 1;
      const leftCan = canSplit(leftCount, depth), rightCan = canSplit(rightCount, depth);
      let leftHist: Histogram | undefined, rightHist: Histogram | undefined;
      if (leftCan || rightCan) {
        // Build the smaller child's histogram; the parent's minus it is the larger child's.
        const leftSmaller = leftCount <= rightCount;
        const small = this.pool.acquire();
        if (leftSmaller) small.build(this.data.codes, values, indices, node.start, mid, this.ordered);
        else small.build(this.data.codes, values, indices, mid, node.end, this.ordered);
        const largeCan = leftSmaller ? rightCan : leftCan;
        const smallCan = leftSmaller ? leftCan : rightCan;
        let large: Histogram | undefined;
        if (largeCan) {
          hist.subtract(small);
          large = hist;
        } else this.pool.release(hist);
        const smallKept = smallCan ? small : undefined;
        if (!smallCan) this.pool.release(small);
        leftHist = leftSmaller ? smallKept : large;
        rightHist = leftSmaller ? large : smallKept;
      } else this.pool.release(hist);
      consider(left, node.start, mid, split.leftSum, depth, leftHist);
      consider(right, mid, node.end, rightSum, depth, rightHist);
    }
    return { nodes: nodes.build(), leaves };
  }

  /** Stable in-place partition of indices[start..end): rows with code ≤ bin first. Returns the boundary. */
  private partition(indices: Uint32Array, start: number, end: number, codes: Uint8Array, bin: number): number {
    const scratch = this.scratch;
    let l = start, r = 0;
    for (let i = start; i < end; i++) {
      const id = indices[i]!;
      if (codes[id]! <= bin) indices[l++] = id;
      else scratch[r++] = id;
    }
    indices.set(scratch.subarray(0, r), l);
    return l;
  }
}

function takeBest(frontier: Pending[]): Pending {
  let best = 0;
  for (let i = 1; i < frontier.length; i++) if (frontier[i]!.split.gain > frontier[best]!.split.gain) best = i;
  const node = frontier[best]!;
  frontier[best] = frontier[frontier.length - 1]!;
  frontier.pop();
  return node;
}

class NodeBuilder {
  private feature: number[] = [];
  private threshold: number[] = [];
  private bin: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private gain: number[] = [];

  add(value: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.bin.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.gain.push(0);
    return this.value.length - 1;
  }

  setSplit(id: number, feature: number, threshold: number, bin: number, left: number, right: number, gain: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.bin[id] = bin;
    this.left[id] = left;
    this.right[id] = right;
    this.gain[id] = gain;
  }

  build(): TreeNodes {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      bin: Uint8Array.from(this.bin),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      gain: Float64Array.from(this.gain),
    };
  }
}
