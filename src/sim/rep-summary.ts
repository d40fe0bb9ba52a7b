import type { Stats } from "../core/contracts.js";

/** min, median, mean and coefficient of variation (sample standard deviation / mean) of timed repetitions. */
export function summarizeReps(reps: readonly number[]): Stats {
  const sorted = [...reps].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const variance = n > 1 ? sorted.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0;
  return {
    runtime_min_s: sorted[0]!,
    runtime_median_s: median,
    runtime_mean_s: mean,
    runtime_cv: mean > 0 ? Math.sqrt(variance) / mean : 0,
    reps: n,
  };
}
