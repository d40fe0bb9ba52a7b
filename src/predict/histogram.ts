/**
 * Step 2 of the histogram trees: per node and feature, the sum of the per-sample values (the target for
 * regression trees, the gradient for boosting) and the sample count in each bin. A node's sibling comes
 * for free: parent − smaller child (histogram subtraction), so only the smaller child is ever scanned.
 * Buffers are pooled so growing a tree allocates nothing per node.
 */
export const BINS_STRIDE = 256;

export class Histogram {
  /** sums[f * 256 + b], counts[f * 256 + b]. */
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** The range of bins that may be non-zero, per feature (for cheap clearing and scanning). */
  readonly lo: Uint8Array;
  readonly hi: Uint8Array;

  constructor(readonly nFeatures: number) {
    this.sums = new Float64Array(nFeatures * BINS_STRIDE);
    this.counts = new Float64Array(nFeatures * BINS_STRIDE);
    this.lo = new Uint8Array(nFeatures).fill(0);
    this.hi = new Uint8Array(nFeatures).fill(255);
  }

  private clear(): void {
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * BINS_STRIDE;
      this.sums.fill(0, base + this.lo[f]!, base + this.hi[f]! + 1);
      this.counts.fill(0, base + this.lo[f]!, base + this.hi[f]! + 1);
    }
  }

  /**
   * Fills the histogram from the samples indices[start..end) (ids may repeat: bootstrap copies).
   * `ordered` is scratch space of at least end − start values. When the node holds every row exactly
   * once (`allRows`, a boosting or single-tree root), rows are read in storage order, without indirection.
   */
  build(codes: readonly Uint8Array[], values: Float64Array, indices: Uint32Array, start: number, end: number, ordered: Float64Array, allRows = false): void {
    this.clear();
    const n = end - start;
    const sums = this.sums, counts = this.counts;
    if (allRows) {
      for (let f = 0; f < this.nFeatures; f++) {
        const c = codes[f]!;
        const base = f * BINS_STRIDE;
        for (let i = 0; i < n; i++) {
          const b = base + c[i]!;
          sums[b]! += values[i]!;
          counts[b]!++;
        }
      }
    } else {
      for (let i = 0; i < n; i++) ordered[i] = values[indices[start + i]!]!;
      for (let f = 0; f < this.nFeatures; f++) {
        const c = codes[f]!;
        const base = f * BINS_STRIDE;
        for (let i = 0; i < n; i++) {
          const b = base + c[indices[start + i]!]!;
          sums[b]! += ordered[i]!;
          counts[b]!++;
        }
      }
    }
    // The occupied bin range per feature, found after the fact (cheaper than tracking it per sample).
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * BINS_STRIDE;
      let lo = 0, hi = 255;
      while (lo < 255 && counts[base + lo] === 0) lo++;
      while (hi > lo && counts[base + hi] === 0) hi--;
      this.lo[f] = lo;
      this.hi[f] = hi;
    }
  }

  /** this ← this − child: turns a parent's histogram into the child's sibling's. */
  subtract(child: Histogram): void {
    const sums = this.sums, counts = this.counts, cs = child.sums, cc = child.counts;
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * BINS_STRIDE;
      for (let b = base + this.lo[f]!, e = base + this.hi[f]!; b <= e; b++) {
        sums[b]! -= cs[b]!;
        counts[b]! -= cc[b]!;
      }
    }
  }
}

/** Reuses histogram buffers across nodes and trees. */
export class HistogramPool {
  private readonly free: Histogram[] = [];
  constructor(readonly nFeatures: number) {}

  acquire(): Histogram {
    return this.free.pop() ?? new Histogram(this.nFeatures);
  }

  release(h: Histogram): void {
    this.free.push(h);
  }
}
