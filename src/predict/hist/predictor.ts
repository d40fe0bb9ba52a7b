import type { Columns } from "../matrix.js";

/**
 * Step 5 of the histogram trees: a grown tree as flat arrays, predicting from raw feature values.
 * Node i is a leaf when left[i] = −1; otherwise rows with x[feature[i]] ≤ threshold[i] go to left[i].
 */
export interface TreeNodes {
  feature: Int32Array;
  threshold: Float64Array;
  /** The split as a bin code (for predicting from binned data): code ≤ bin goes left. */
  bin: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Reduction in squared error of the split at this node (0 for leaves). */
  gain: Float64Array;
}

/** Adds scale · tree(x) to out, row by row. */
export function addTreePrediction(t: TreeNodes, x: Columns, out: Float64Array, scale = 1): void {
  const { feature, threshold, left, right, value } = t;
  for (let i = 0; i < out.length; i++) {
    let node = 0;
    while (left[node]! >= 0) node = x[feature[node]!]![i]! <= threshold[node]! ? left[node]! : right[node]!;
    out[i]! += scale * value[node]!;
  }
}

/** Same, from bin codes of data binned with the tree's own bin mapper. */
export function addBinnedTreePrediction(t: TreeNodes, codes: readonly Uint8Array[], out: Float64Array, scale = 1): void {
  const { feature, bin, left, right, value } = t;
  for (let i = 0; i < out.length; i++) {
    let node = 0;
    while (left[node]! >= 0) node = codes[feature[node]!]![i]! <= bin[node]! ? left[node]! : right[node]!;
    out[i]! += scale * value[node]!;
  }
}

/** Accumulates each split's gain into its feature's importance. */
export function addGainImportance(t: TreeNodes, importance: Float64Array): void {
  for (let i = 0; i < t.left.length; i++) if (t.left[i]! >= 0) importance[t.feature[i]!]! += t.gain[i]!;
}

export interface TreeNodesJSON {
  feature: number[];
  threshold: number[];
  bin: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
}

export function treeToJSON(t: TreeNodes): TreeNodesJSON {
  return {
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    bin: Array.from(t.bin),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    gain: Array.from(t.gain),
  };
}

export function treeFromJSON(j: TreeNodesJSON): TreeNodes {
  return {
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold),
    bin: Uint8Array.from(j.bin),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float64Array.from(j.value),
    gain: Float64Array.from(j.gain),
  };
}
