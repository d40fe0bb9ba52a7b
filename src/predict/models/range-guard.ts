import { CostModel } from "./costmodel.js";
import type { EstimatorJSON } from "../estimator.js";
import type { Columns } from "../matrix.js";

/** Features the guard's anchor uses when they are present: the recipe's fixed physical cost (simulator-features.ts). */
const ANCHOR_FEATURE = /(^|\.)cost_log_rel$/;

export interface RangeGuardJSON {
  low: number[];
  high: number[];
  /** Slack beyond the training range as a fraction of it; null = the range is not checked (only the floor acts). */
  tolerance: number | null;
  /** The anchor's share even in range (0 = none; see blend). Absent in files written before it existed. */
  floor?: number;
  anchorFeatures: number[];
  anchor: EstimatorJSON;
}

/**
 * Trees are constant outside the range they were trained on, so a variant whose statistics leave that range (a
 * kernel from another generator, another regime) is ranked by whatever the other features happen to say. The
 * guard measures, per row, the share of features inside the training range (widened by `tolerance` × the range on
 * each side) and blends the learned prediction toward a physical anchor by the share outside:
 *   predicted = t · learned + (1 − t) · anchor,   t = features in range / features.
 * The anchor is the fixed cost model (the recipe's `cost_log_rel`: Ir + 10·L1 misses + 100·LL misses + 20·branch
 * misses, as a log ratio to the group's leanest variant) with a non-negative slope fitted on the training target, or,
 * without that feature, the non-negative cost model on every feature. Both are monotone (more work or misses never
 * predicts faster) and linear, so they extrapolate where the trees cannot. Rows inside the range keep the learned
 * prediction unchanged: the guard costs nothing in distribution. With a `floor` λ > 0 every row keeps at least
 * that share of the anchor — shrinkage toward the physics, as a prior the data only corrects:
 *   predicted = (1 − w) · learned + w · anchor,   w = 1 − (1 − λ) · t.
 */
export class RangeGuard {
  private constructor(
    private readonly low: number[],
    private readonly high: number[],
    private readonly tolerance: number | null,
    private readonly floor: number,
    private readonly anchorFeatures: number[],
    private readonly anchor: CostModel,
  ) {}

  static fit(x: Columns, y: ArrayLike<number>, tolerance: number | null, featureNames?: readonly string[], floor = 0): RangeGuard {
    const low = x.map((c) => c.reduce((m, v) => (v < m ? v : m), Infinity));
    const high = x.map((c) => c.reduce((m, v) => (v > m ? v : m), -Infinity));
    const named = featureNames?.flatMap((f, j) => (ANCHOR_FEATURE.test(f) ? [j] : [])) ?? [];
    const anchorFeatures = named.length > 0 ? named : x.map((_, j) => j);
    const anchor = new CostModel({ intercept: true }).fit(anchorFeatures.map((j) => x[j]!), y);
    return new RangeGuard(low, high, tolerance, floor, anchorFeatures, anchor);
  }

  /** Per row, the share of features inside the (widened) training range: 1 = fully in distribution. */
  trust(x: Columns): Float64Array {
    const n = x[0]?.length ?? 0;
    const tolerance = this.tolerance;
    if (tolerance === null) return new Float64Array(n).fill(1);
    const inside = new Float64Array(n);
    x.forEach((c, j) => {
      const slack = tolerance * (this.high[j]! - this.low[j]!);
      const lo = this.low[j]! - slack, hi = this.high[j]! + slack;
      for (let i = 0; i < n; i++) if (c[i]! >= lo && c[i]! <= hi) inside[i]! += 1;
    });
    return inside.map((v) => v / Math.max(1, x.length));
  }

  /** The anchor's prediction (on the target's scale). */
  anchorPrediction(x: Columns): Float64Array {
    return this.anchor.predict(this.anchorFeatures.map((j) => x[j]!));
  }

  /** Blends `learned` (one value per row of x) toward the anchor where rows leave the training range, in place. */
  blend(x: Columns, learned: Float64Array): Float64Array {
    const t = this.trust(x);
    if (this.floor === 0 && t.every((v) => v === 1)) return learned;
    const anchor = this.anchorPrediction(x);
    for (let i = 0; i < learned.length; i++) {
      const w = 1 - (1 - this.floor) * t[i]!;
      learned[i] = (1 - w) * learned[i]! + w * anchor[i]!;
    }
    return learned;
  }

  toJSON(): RangeGuardJSON {
    return { low: this.low, high: this.high, tolerance: this.tolerance, floor: this.floor, anchorFeatures: this.anchorFeatures, anchor: this.anchor.toJSON() };
  }

  static fromJSON(json: RangeGuardJSON): RangeGuard {
    return new RangeGuard(json.low, json.high, json.tolerance, json.floor ?? 0, json.anchorFeatures, CostModel.fromJSON(json.anchor));
  }
}
