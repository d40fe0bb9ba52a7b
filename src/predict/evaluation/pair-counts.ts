/**
 * How the n(n−1)/2 pairs of rows i < j relate under two orderings y and p, counted in O(n log n) (Knight's
 * algorithm) instead of comparing every pair:
 * - tiedY: pairs with yᵢ = yⱼ; tiedP: pairs with pᵢ = pⱼ; tiedBoth: pairs tied in both;
 * - discordant: pairs ordered opposite ways (y and p both differ, in opposite directions).
 * The concordant pairs are then pairs − tiedY − tiedP + tiedBoth − discordant. Counts stay exact in doubles
 * up to n ≈ 10⁸ (2⁵³ pairs). Inputs must not contain NaN (the callers check).
 */
import { sortedBy } from "./sort-order.js";

export interface PairCounts {
  pairs: number;
  tiedY: number;
  tiedP: number;
  tiedBoth: number;
  discordant: number;
  /** Row positions by y ascending (ties by p) and by p ascending: the sorts behind the counts, for reuse (ranks). */
  byY: Uint32Array;
  byP: Uint32Array;
}

export function pairCounts(y: ArrayLike<number>, p: ArrayLike<number>): PairCounts {
  const n = y.length;
  // Rows by y, ties in y by p: a pair tied in y is then never an inversion of p.
  const byP = sortedBy(p);
  const order = sortedBy(y, byP);
  let tiedY = 0, tiedBoth = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && y[order[end]!] === y[order[start]!]) end++;
    tiedY += tiedPairs(end - start);
    for (let s = start; s < end; ) {
      let e = s + 1;
      while (e < end && p[order[e]!] === p[order[s]!]) e++;
      tiedBoth += tiedPairs(e - s);
      s = e;
    }
    start = end;
  }
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = p[order[k]!]!;
  const discordant = sortCountingInversions(values);
  let tiedP = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[end] === values[start]) end++;
    tiedP += tiedPairs(end - start);
    start = end;
  }
  return { pairs: tiedPairs(n), tiedY, tiedP, tiedBoth, discordant, byY: order, byP };
}

function tiedPairs(t: number): number {
  return (t * (t - 1)) / 2;
}

/**
 * Sorts `values` ascending in place (bottom-up merge sort) and returns the number of inversions: pairs
 * i < j with values[i] > values[j]. Equal values are not inversions.
 */
function sortCountingInversions(values: Float64Array): number {
  const n = values.length;
  let from = values, to = new Float64Array(n);
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (from[j]! < from[i]!) {
          inversions += mid - i; // from[j] precedes every value left in the first half
          to[k++] = from[j++]!;
        } else to[k++] = from[i++]!;
      }
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  if (from !== values) values.set(from);
  return inversions;
}
