import { SimlabError } from "../core/errors.js";

/**
 * What a model is trained to predict, and how its output maps back to runtime:
 * - `runtime`: the runtime itself.
 * - `log`: ln(runtime) (runtimes span orders of magnitude); predictions are exp(output). Needs runtime > 0.
 * - `group-normalised`: runtime / s_g, where s_g is the minimum (or mean) measured runtime of the row's
 *   group, as the DAC 2025 paper does for unseen kernels. Predictions are output · s_g, with s_g taken from
 *   the group's measured runtimes: the ranking within a group never depends on s_g, only the scale does.
 */
export type TargetTransform = "runtime" | "log" | "group-normalised";
export const targetTransforms: readonly TargetTransform[] = ["runtime", "log", "group-normalised"];

export interface TargetOptions {
  transform: TargetTransform;
  /** For `group-normalised`: divide by the group's minimum (default) or mean runtime. */
  groupStat?: "min" | "mean";
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
