import { Random } from "../random.js";

/** Groups larger than this get a seeded sample of PAIRS_PER_ROW · n pairs instead of all n (n − 1) / 2. */
const ALL_PAIRS_UP_TO = 1024;
const PAIRS_PER_ROW = 256;

/**
 * The pairwise ranking objective within groups (RankNet's logistic loss, the pairwise form of XGBoost's
 * `rank:pairwise` and LambdaRank): for every pair (i, j) of the same group with yᵢ < yⱼ (i is faster), with
 * scores s (lower = predicted faster) and d = sᵢ − sⱼ,
 *   loss = wᵢⱼ · ln(1 + e^d),  wᵢⱼ = yⱼ − yᵢ,
 * ∂/∂sᵢ = wᵢⱼ σ(d), ∂/∂sⱼ = −wᵢⱼ σ(d), second derivative wᵢⱼ σ(d)(1 − σ(d)) for both. The weight |Δy| lets
 * near-ties (within measurement noise) count little and clearly ordered pairs much; only the order within a
 * group matters, never the scale of a group's runtimes.
 * A group's rows are kept sorted by y, so all its pairs are the (a, b) positions with a < b and no pair list is
 * stored; groups over ALL_PAIRS_UP_TO rows use a fixed, seeded sample of pairs instead.
 */
export class PairwiseObjective {
  /** Per small group: its row ids sorted by ascending y. */
  private readonly sorted: Uint32Array[] = [];
  /** Sampled pairs of the large groups: first is the faster row. */
  private readonly first: Uint32Array;
  private readonly second: Uint32Array;

  constructor(private readonly y: ArrayLike<number>, groups: ArrayLike<number> | undefined, seed = 0) {
    const members = new Map<number, number[]>();
    for (let i = 0; i < y.length; i++) {
      const g = groups ? groups[i]! : 0;
      const list = members.get(g);
      if (list) list.push(i);
      else members.set(g, [i]);
    }
    const first: number[] = [], second: number[] = [];
    const rng = new Random(seed);
    for (const rows of members.values()) {
      if (rows.length <= ALL_PAIRS_UP_TO) {
        this.sorted.push(Uint32Array.from(rows).sort((a, b) => y[a]! - y[b]!));
        continue;
      }
      for (let k = 0; k < rows.length * PAIRS_PER_ROW; k++) {
        const a = rows[rng.int(rows.length)]!, b = rows[rng.int(rows.length)]!;
        if (y[a] === y[b]) continue;
        first.push(y[a]! < y[b]! ? a : b);
        second.push(y[a]! < y[b]! ? b : a);
      }
    }
    this.first = Uint32Array.from(first);
    this.second = Uint32Array.from(second);
  }

  /** Number of pairs with different y (the terms of the loss). */
  get pairs(): number {
    let n = this.first.length;
    this.forEachPair((i, j) => void (n += Number(this.y[i] !== this.y[j])), true);
    return n;
  }

  /** Calls f(i, j) for every pair of a small group, i before j in y order (ties included: their weight is 0). */
  private forEachPair(f: (i: number, j: number) => void, smallOnly = false): void {
    for (const rows of this.sorted) for (let a = 0; a < rows.length; a++) for (let b = a + 1; b < rows.length; b++) f(rows[a]!, rows[b]!);
    if (!smallOnly) for (let k = 0; k < this.first.length; k++) f(this.first[k]!, this.second[k]!);
  }

  /** The loss at scores s. */
  loss(s: ArrayLike<number>): number {
    let loss = 0;
    this.forEachPair((i, j) => {
      const d = s[i]! - s[j]!;
      loss += (this.y[j]! - this.y[i]!) * (d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d)));
    });
    return loss;
  }

  /** Fills the per-row gradient and second derivative of the loss at scores s. */
  derivatives(s: Float64Array, gradient: Float64Array, hessian: Float64Array): void {
    gradient.fill(0);
    hessian.fill(0);
    const y = this.y;
    const add = (i: number, j: number, w: number, p: number) => {
      gradient[i]! += w * p;
      gradient[j]! -= w * p;
      const h = w * p * (1 - p);
      hessian[i]! += h;
      hessian[j]! += h;
    };
    for (const rows of this.sorted) {
      const n = rows.length;
      for (let a = 0; a < n; a++) {
        const i = rows[a]!, yi = y[i]!, si = s[i]!;
        let gi = 0, hi = 0;
        for (let b = a + 1; b < n; b++) {
          const j = rows[b]!, w = y[j]! - yi;
          if (w === 0) continue;
          const p = 1 / (1 + Math.exp(s[j]! - si));
          const wp = w * p, h = wp * (1 - p);
          gi += wp;
          hi += h;
          gradient[j]! -= wp;
          hessian[j]! += h;
        }
        gradient[i]! += gi;
        hessian[i]! += hi;
      }
    }
    for (let k = 0; k < this.first.length; k++) {
      const i = this.first[k]!, j = this.second[k]!;
      add(i, j, y[j]! - y[i]!, 1 / (1 + Math.exp(s[j]! - s[i]!)));
    }
  }
}
