/**
 * The events that are work the core must retire: instructions (`Ir`), branches (`Bc`) and the fixed cost that
 * sums them with misses (`cost`). No hardware mechanism makes more of them free, so runtime is non-decreasing in
 * each, in every regime: the top variants of every datasets/paper.csv group, memory-bound as the groups are, get
 * slower with Ir and Bc (Spearman +0.3..+0.6), as the instruction-bound transfer kernels do. Cachegrind's miss and
 * memory-operation counts are left free: the hardware prefetcher and store buffer hide some of them, so their
 * measured effect has no fixed sign (paper's fastest MVM variants have more D1mr than the runners-up).
 */
const WORK_EVENT = /(^|\.)(Ir|Bc|cost)_log_rel$/;

/** Monotone-constraint signs for features by name: +1 for the recipe's work features, 0 for the rest. */
export function workSigns(featureNames: readonly string[]): number[] {
  return featureNames.map((f) => (WORK_EVENT.test(f) ? 1 : 0));
}
