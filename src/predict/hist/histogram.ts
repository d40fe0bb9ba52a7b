/**
 * Step 2 of the histogram trees: per node and feature, the sum of the per-sample values (the target for
 * regression trees, the gradient for boosting) and the sample count in each bin. A node's sibling comes
 * for free: parent − smaller child (histogram subtraction), so only the smaller child is ever scanned.
 * Buffers are pooled so growing a tree allocates nothing per node.
 */
export const BINS_STRIDE = 256;

export class Histogram {
  /**
   * Interleaved per bin, so one cache line serves both when building and scanning:
   * data[2 (f·256 + b)] = sum of the values, data[2 (f·256 + b) + 1] = sample count.
   */
  readonly data: Float64Array;
  /** The range of bins that may be non-zero, per feature (for cheap clearing and scanning). */
  readonly lo: Uint8Array;
  readonly hi: Uint8Array;

  constructor(readonly nFeatures: number) {
    this.data = new Float64Array(nFeatures * BINS_STRIDE * 2);
    this.lo = new Uint8Array(nFeatures).fill(0);
    this.hi = new Uint8Array(nFeatures).fill(255);
  }

  private clear(): void {
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * BINS_STRIDE;
      this.data.fill(0, 2 * (base + this.lo[f]!), 2 * (base + this.hi[f]! + 1));
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
    const data = this.data;
    if (allRows) this.accumulate(codes, values, undefined, n);
    else {
      const rows = indices.subarray(start, end);
      for (let i = 0; i < n; i++) ordered[i] = values[rows[i]!]!;
      this.accumulate(codes, ordered, rows, n);
    }
    // The occupied bin range per feature, found after the fact (cheaper than tracking it per sample).
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * BINS_STRIDE;
      let lo = 0, hi = 255;
      while (lo < 255 && data[2 * (base + lo) + 1] === 0) lo++;
      while (hi > lo && data[2 * (base + hi) + 1] === 0) hi--;
      this.lo[f] = lo;
      this.hi[f] = hi;
    }
  }

  /**
   * Adds v[i] and a count to the bin of row rows[i] (row i when rows is absent), for i < n. Two features
   * per pass: each row id and value is loaded once for both, and the two read-modify-write chains overlap.
   */
  private accumulate(codes: readonly Uint8Array[], v: Float64Array, rows: Uint32Array | undefined, n: number): void {
    const data = this.data;
    let f = 0;
    for (; f + 1 < this.nFeatures; f += 2) {
      const c0 = codes[f]!, c1 = codes[f + 1]!;
      const base0 = f * BINS_STRIDE, base1 = base0 + BINS_STRIDE;
      if (rows) {
        for (let i = 0; i < n; i++) {
          const row = rows[i]!, g = v[i]!;
          const b0 = (base0 + c0[row]!) << 1, b1 = (base1 + c1[row]!) << 1;
          data[b0]! += g;
          data[b0 + 1]!++;
          data[b1]! += g;
          data[b1 + 1]!++;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const g = v[i]!;
          const b0 = (base0 + c0[i]!) << 1, b1 = (base1 + c1[i]!) << 1;
          data[b0]! += g;
          data[b0 + 1]!++;
          data[b1]! += g;
          data[b1 + 1]!++;
        }
      }
    }
    if (f < this.nFeatures) {
      const c = codes[f]!;
      const base = f * BINS_STRIDE;
      for (let i = 0; i < n; i++) {
        const b = (base + c[rows ? rows[i]! : i]!) << 1;
        data[b]! += v[i]!;
        data[b + 1]!++;
      }
    }
  }

  /** this ← this − child: turns a parent's histogram into the child's sibling's. */
  subtract(child: Histogram): void {
    const data = this.data, cd = child.data;
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * BINS_STRIDE;
      for (let b = 2 * (base + this.lo[f]!), e = 2 * (base + this.hi[f]! + 1); b < e; b++) data[b]! -= cd[b]!;
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
