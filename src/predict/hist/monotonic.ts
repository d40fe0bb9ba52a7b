import { SimlabError } from "../../core/errors.js";

/**
 * A monotone-constraint setting as users give it (scikit-learn's `monotonic_cst`): one sign for every feature
 * (`1`: the prediction never decreases as the feature grows, `-1`: never increases, `0`: free), or one sign
 * per feature, in feature order.
 */
export type MonotonicSetting = number | readonly number[];

/** Per-feature signs for `nFeatures` features; undefined when nothing is constrained (the fast path). */
export function resolveMonotonic(setting: MonotonicSetting | undefined, nFeatures: number): Int8Array | undefined {
  if (setting === undefined) return undefined;
  const signs = typeof setting === "number" ? new Array<number>(nFeatures).fill(setting) : [...setting];
  if (signs.length !== nFeatures) {
    throw new SimlabError(`monotonic_cst has ${signs.length} signs but there are ${nFeatures} features`, "give one sign (-1, 0 or 1) for all features, or one per feature separated by ':'");
  }
  for (const s of signs) if (s !== -1 && s !== 0 && s !== 1) throw new SimlabError(`monotonic_cst sign ${s} is not -1, 0 or 1`, "e.g. monotonic_cst=1 or monotonic_cst=1:0:-1");
  return signs.some((s) => s !== 0) ? Int8Array.from(signs) : undefined;
}
