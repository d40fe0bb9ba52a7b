/**
 * Seeded pseudo-random numbers for every estimator and splitter: the same seed gives the same model.
 * mulberry32: 32-bit state, fast, good enough for bootstraps, shuffles and feature subsampling.
 */
export class Random {
  private state: number;

  constructor(seed = 0) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const v = values[i]!;
      values[i] = values[j]!;
      values[j] = v;
    }
    return values;
  }

  /** A derived seed, so nested components (trees of a forest) get independent streams. */
  fork(): number {
    return Math.floor(this.next() * 2 ** 31);
  }
}

/** 0, 1, …, n-1 as a Uint32Array. */
export function range(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
