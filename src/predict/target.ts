import { SimlabError } from "../core/errors.js";

/**
 * What a model is trained to predict, and how its output maps back to runtime:
 * - `runtime`: the runtime itself.
 * - `log`: ln(runtime) (runtimes span orders of magnitude); predictions are exp(output). Needs runtime > 0.
 * - `group-normalised`: runtime / s_g, where s_g is the minimum (or mean) measured runtime of the row's
 *   group, as the DAC 2025 paper does for unseen kernels. Predictions are output · s_g, with s_g taken from
 *   the group's measured runtimes: the ranking within a group never depends on s_g, only the scale does.
 * - `log-relative`: min(ln(runtime / m_g), cap), m_g the group's fastest measured runtime: 0 for the fastest
 *   variant, scale-free, so it transfers between operators and shapes; the cap (default 0.5, i.e. 1.65× the
 *   fastest) spends the model on the fast variants the ranking is about. Predictions are exp(output) · m_g when
 *   the group's runtimes are known, else exp(output) (runtime relative to the predicted fastest ≈ 1).
 */
export type TargetTransform = "runtime" | "log" | "group-normalised" | "log-relative";
export const targetTransforms: readonly TargetTransform[] = ["runtime", "log", "group-normalised", "log-relative"];

/** Default cap of the log-relative target, in ln units. */
export const LOG_RELATIVE_CAP = 0.5;

export interface TargetOptions {
  transform: TargetTransform;
  /** For `group-normalised`: divide by the group's minimum (default) or mean runtime. */
  groupStat?: "min" | "mean";
  /** For `log-relative`: the cap (default LOG_RELATIVE_CAP). */
  cap?: number;
}

/**
 * A target transform bound to one dataset. `forward(y, rows)`: the transformed y[row] for each row id in
 * rows (y indexed by row id). `inverse(output, rows)`: runtimes for model outputs, output[k] being row rows[k]'s.
 */
export interface BoundTarget {
  forward(y: ArrayLike<number>, rows: ArrayLike<number>): Float64Array;
  inverse(output: ArrayLike<number>, rows: ArrayLike<number>): Float64Array;
}

export function bindTarget(options: TargetOptions, y: ArrayLike<number>, groups: ArrayLike<string> | undefined, targetName: string): BoundTarget {
  switch (options.transform) {
    case "runtime":
      return { forward: (v, rows) => mapRows(rows, (i) => v[i]!), inverse: (o, rows) => mapRows(rows, (_, k) => o[k]!) };
    case "log":
      for (let i = 0; i < y.length; i++) {
        if (!(y[i]! > 0)) throw new SimlabError(`the log target needs positive values, but ${targetName} is ${y[i]} at row ${i}`, "use --target-transform runtime, or drop those rows");
      }
      return { forward: (v, rows) => mapRows(rows, (i) => Math.log(v[i]!)), inverse: (o, rows) => mapRows(rows, (_, k) => Math.exp(o[k]!)) };
    case "group-normalised": {
      if (!groups) throw new SimlabError("the group-normalised target needs a group column", "pass --group COL (e.g. the workload column)");
      const scale = groupScale(y, groups, options.groupStat ?? "min", targetName);
      return {
        forward: (v, rows) => mapRows(rows, (i) => v[i]! / scale[i]!),
        inverse: (o, rows) => mapRows(rows, (i, k) => o[k]! * scale[i]!),
      };
    }
    case "log-relative": {
      if (!groups) throw new SimlabError("the log-relative target needs a group column", "pass --group COL (e.g. the operator and shape)");
      const scale = groupScale(y, groups, "min", targetName);
      const cap = options.cap ?? LOG_RELATIVE_CAP;
      return {
        forward: (v, rows) => mapRows(rows, (i) => Math.min(Math.log(v[i]! / scale[i]!), cap)),
        inverse: (o, rows) => mapRows(rows, (i, k) => Math.exp(o[k]!) * scale[i]!),
      };
    }
  }
}

/** out[k] = f(row id, position k) for each row id in rows. */
function mapRows(rows: ArrayLike<number>, f: (row: number, k: number) => number): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = f(rows[k]!, k);
  return out;
}

/** Per row, the min or mean of y over the row's group. */
function groupScale(y: ArrayLike<number>, groups: ArrayLike<string>, stat: "min" | "mean", targetName: string): Float64Array {
  const acc = new Map<string, { min: number; sum: number; n: number }>();
  for (let i = 0; i < y.length; i++) {
    const a = acc.get(groups[i]!) ?? { min: Infinity, sum: 0, n: 0 };
    a.min = Math.min(a.min, y[i]!);
    a.sum += y[i]!;
    a.n++;
    acc.set(groups[i]!, a);
  }
  const scale = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const a = acc.get(groups[i]!)!;
    scale[i] = stat === "min" ? a.min : a.sum / a.n;
    if (!(scale[i]! > 0)) throw new SimlabError(`group '${groups[i]}' has a non-positive ${stat} ${targetName} (${scale[i]}), so it cannot be normalised`, "use --target-transform runtime or log");
  }
  return scale;
}
