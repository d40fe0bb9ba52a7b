import { Random } from "./random.js";

/** Groups larger than this get a seeded sample of PAIRS_PER_ROW · n / 2 pairs instead of all n (n − 1) / 2. */
const ALL_PAIRS_UP_TO = 1024;
const PAIRS_PER_ROW = 512;

/**
 * The pairwise ranking objective within groups (RankNet's logistic loss, the pairwise form of XGBoost's
 * `rank:pairwise` and LambdaRank): for every pair (i, j) of the same group with yᵢ < yⱼ (i is faster), with
 * scores s (lower = predicted faster) and d = sᵢ − sⱼ,
 *   loss = wᵢⱼ · ln(1 + e^d),  wᵢⱼ = yⱼ − yᵢ,
 * ∂/∂sᵢ = wᵢⱼ σ(d), ∂/∂sⱼ = −wᵢⱼ σ(d), second derivative wᵢⱼ σ(d)(1 − σ(d)) for both. The weight |Δy| lets
 * near-ties (within measurement noise) count little and clearly ordered pairs much; only the order within a
 * group matters, never the scale of a group's runtimes. Pairs are listed once, at construction.
 */
export class PairwiseObjective {
  private readonly first: Uint32Array;
  private readonly second: Uint32Array;
  private readonly weight: Float64Array;

  constructor(y: ArrayLike<number>, groups: ArrayLike<number> | undefined, seed = 0) {
    const members = new Map<number, number[]>();
    for (let i = 0; i < y.length; i++) {
      const g = groups ? groups[i]! : 0;
      const list = members.get(g);
      if (list) list.push(i);
      else members.set(g, [i]);
    }
    const first: number[] = [], second: number[] = [], weight: number[] = [];
    const add = (a: number, b: number) => {
      if (y[a] === y[b]) return;
      const [i, j] = y[a]! < y[b]! ? [a, b] : [b, a];
      first.push(i);
      second.push(j);
      weight.push(y[j]! - y[i]!);
    };
    const rng = new Random(seed);
    for (const rows of members.values()) {
      if (rows.length <= ALL_PAIRS_UP_TO) {
        for (let a = 0; a < rows.length; a++) for (let b = a + 1; b < rows.length; b++) add(rows[a]!, rows[b]!);
      } else {
        for (let k = 0; k < (rows.length * PAIRS_PER_ROW) / 2; k++) add(rows[rng.int(rows.length)]!, rows[rng.int(rows.length)]!);
      }
    }
    this.first = Uint32Array.from(first);
    this.second = Uint32Array.from(second);
    this.weight = Float64Array.from(weight);
  }

  get pairs(): number {
    return this.weight.length;
  }

  /** The loss at scores s. */
  loss(s: ArrayLike<number>): number {
    let loss = 0;
    for (let k = 0; k < this.weight.length; k++) {
      const d = s[this.first[k]!]! - s[this.second[k]!]!;
      loss += this.weight[k]! * (d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d)));
    }
    return loss;
  }

  /** Fills the per-row gradient and second derivative of the loss at scores s. */
  derivatives(s: Float64Array, gradient: Float64Array, hessian: Float64Array): void {
    gradient.fill(0);
    hessian.fill(0);
    for (let k = 0; k < this.weight.length; k++) {
      const i = this.first[k]!, j = this.second[k]!, w = this.weight[k]!;
      const p = 1 / (1 + Math.exp(s[j]! - s[i]!));
      gradient[i]! += w * p;
      gradient[j]! -= w * p;
      const h = w * p * (1 - p);
      hessian[i]! += h;
      hessian[j]! += h;
    }
  }
}
