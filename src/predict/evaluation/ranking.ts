/**
 * How well predictions p order the variants by measured runtime y (lower = faster). Each function
 * returns NaN when the measure is undefined for the input (the case is named in its comment).
 */
import { type PairCounts, pairCounts } from "./pair-counts.js";
import { sortedBy } from "./sort-order.js";

/**
 * Ranks 1..n of the values, ascending; tied values share the average of the ranks they span. `order`, the
 * row positions sorted by v ascending (any order within ties), saves sorting again.
 */
export function averageRanks(v: ArrayLike<number>, order: ArrayLike<number> = sortedBy(v)): Float64Array {
  const ranks = new Float64Array(v.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && v[order[end]!] === v[order[start]!]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/**
 * Spearman's ρ = Pearson correlation of the average ranks of y and of p; NaN if either is constant.
 * `counts` (pairCounts(y, p)) lends its sorts, saving two.
 */
export function spearman(y: ArrayLike<number>, p: ArrayLike<number>, counts?: PairCounts): number {
  return pearson(averageRanks(y, counts?.byY), averageRanks(p, counts?.byP));
}

/**
 * Kendall's τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)) over all pairs i < j, where n_c / n_d count pairs
 * ordered the same / opposite way by y and p, n₀ = n(n−1)/2, n₁ = Σ t(t−1)/2 over groups of t tied y
 * values, n₂ the same for p. Pairs tied in y or p count in neither n_c nor n_d. NaN if y or p is constant
 * or holds a NaN. O(n log n) (pair-counts.ts); `counts` (pairCounts(y, p)) saves recounting.
 */
export function kendallTauB(y: ArrayLike<number>, p: ArrayLike<number>, counts?: PairCounts): number {
  if (hasNaN(y) || hasNaN(p)) return NaN;
  const { pairs, tiedY, tiedP, tiedBoth, discordant } = counts ?? pairCounts(y, p);
  const concordant = pairs - tiedY - tiedP + tiedBoth - discordant;
  const denominator = Math.sqrt((pairs - tiedY) * (pairs - tiedP));
  return denominator === 0 ? NaN : (concordant - discordant) / denominator;
}

/**
 * Pairwise ordering accuracy = (1/|P|) Σ_{(i,j)∈P} s_ij over P = the pairs i < j with yᵢ ≠ yⱼ, where
 * s_ij = 1 if p orders the pair as y does, 0 if the other way, ½ if pᵢ = pⱼ. NaN if y is constant or y or
 * p holds a NaN. O(n log n) (pair-counts.ts); `counts` (pairCounts(y, p)) saves recounting.
 */
export function pairwiseAccuracy(y: ArrayLike<number>, p: ArrayLike<number>, counts?: PairCounts): number {
  if (hasNaN(y) || hasNaN(p)) return NaN;
  const { pairs, tiedY, tiedP, tiedBoth, discordant } = counts ?? pairCounts(y, p);
  const scored = pairs - tiedY;
  const tiedInPOnly = tiedP - tiedBoth;
  const concordant = scored - tiedInPOnly - discordant;
  return scored === 0 ? NaN : (concordant + 0.5 * tiedInPOnly) / scored;
}

function hasNaN(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) return true;
  return false;
}

/**
 * The predicted ranking: row positions sorted by predicted value ascending (fastest first). Ties in the
 * prediction are broken pessimistically: the tied row with the larger measured value comes first, so a
 * model that cannot tell variants apart gets no credit for the tie.
 */
export function predictedOrder(y: ArrayLike<number>, p: ArrayLike<number>): number[] {
  return Array.from(sortedBy(p, sortedBy(Float64Array.from(y, (v) => -v))));
}

/**
 * The DAC 2025 paper's metric: where the truly fastest variant lands in the predicted ranking, as a
 * percentage of the group: 100 · position / n, position being the 1-based place in `predictedOrder`
 * (pessimistic ties) of the first row with the lowest measured value. 100/n is perfect; 100 is worst.
 * NaN for an empty input. `order` (predictedOrder(y, p)) saves sorting again.
 */
export function bestRankPercent(y: ArrayLike<number>, p: ArrayLike<number>, order: ArrayLike<number> = predictedOrder(y, p)): number {
  if (y.length === 0) return NaN;
  let best = Infinity;
  for (let i = 0; i < y.length; i++) best = Math.min(best, y[i]!);
  let position = 0;
  for (let r = 0; r < order.length && position === 0; r++) if (y[order[r]!] === best) position = r + 1;
  return (100 * position) / y.length;
}

/**
 * TenSet's top-k score = true_best / best_of_top_k, where true_best = min y and best_of_top_k = the lowest
 * measured value among the first min(k, n) rows of `predictedOrder` (pessimistic ties). 1 is perfect;
 * 0.5 means the best of the k candidates one would measure is twice as slow as the true best.
 * NaN for an empty input. `order` (predictedOrder(y, p)) saves sorting again.
 */
export function topKScore(y: ArrayLike<number>, p: ArrayLike<number>, k: number, order: ArrayLike<number> = predictedOrder(y, p)): number {
  if (y.length === 0) return NaN;
  let best = Infinity;
  for (let i = 0; i < y.length; i++) best = Math.min(best, y[i]!);
  let bestOfTop = Infinity;
  for (let r = 0; r < Math.min(k, order.length); r++) bestOfTop = Math.min(bestOfTop, y[order[r]!]!);
  return best / bestOfTop;
}
