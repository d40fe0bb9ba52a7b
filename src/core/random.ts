/**
 * Seeded pseudo-random numbers, so sweeps' samples, cross-validation folds and models are reproducible.
 * mulberry32: 32-bit state, fast, the same sequence on every platform; good enough for sampling,
 * bootstraps, shuffles and feature subsampling (not for cryptography).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator with the draws estimators need. */
export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed = 0) {
    this.next = mulberry32(seed ^ 0x9e3779b9);
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
