import type { Columns } from "../matrix.js";
import { Random } from "../random.js";

/**
 * Step 1 of the histogram trees: map each feature's raw values to at most 255 ordered bins (uint8 codes).
 * Like scikit-learn's `_BinMapper`: a feature with ≤ maxBins distinct values gets one bin per value
 * (thresholds at the midpoints); otherwise thresholds are the (midpoint-interpolated) quantiles.
 * A value x falls in bin b = number of thresholds < x, so "bin ≤ b" ⇔ "x ≤ thresholds[b]".
 */
export interface BinMapper {
  /** Per feature, ascending thresholds; the feature has thresholds.length + 1 bins. */
  thresholds: Float64Array[];
}

export const MAX_BINS = 255;

/** Features are binned from at most this many rows (a seeded subsample), as scikit-learn does. */
const BINNING_SUBSAMPLE = 200_000;

export function fitBins(x: Columns, maxBins = MAX_BINS, seed = 0): BinMapper {
  if (maxBins < 2 || maxBins > MAX_BINS) throw new RangeError(`maxBins must be in [2, ${MAX_BINS}]`);
  const n = x[0]?.length ?? 0;
  let rows: Uint32Array | undefined;
  if (n > BINNING_SUBSAMPLE) {
    const all = new Uint32Array(n).map((_, i) => i);
    rows = new Random(seed).shuffle(all).subarray(0, BINNING_SUBSAMPLE);
  }
  const thresholds = x.map((column) => {
    const values = rows ? Float64Array.from(rows, (i) => column[i]!) : Float64Array.from(column);
    return featureThresholds(values.sort(), maxBins);
  });
  return { thresholds };
}

function featureThresholds(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) cuts.push((distinct[i - 1]! + distinct[i]!) / 2);
  } else {
    const last = sorted.length - 1;
    for (let k = 1; k < maxBins; k++) {
      const pos = (k / maxBins) * last;
      const v = (sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!) / 2;
      if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
    }
  }
  return Float64Array.from(cuts);
}

/** Bin codes of every feature: one Uint8Array per feature, one code per row. */
export function applyBins(mapper: BinMapper, x: Columns): Uint8Array[] {
  return x.map((column, f) => {
    const t = mapper.thresholds[f]!;
    const codes = new Uint8Array(column.length);
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      let lo = 0, hi = t.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= t[mid]!) hi = mid;
        else lo = mid + 1;
      }
      codes[i] = lo;
    }
    return codes;
  });
}

/** Number of bins of each feature. */
export function binCounts(mapper: BinMapper): Uint16Array {
  return Uint16Array.from(mapper.thresholds, (t) => t.length + 1);
}
