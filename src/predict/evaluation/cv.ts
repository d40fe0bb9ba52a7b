import { SimlabError } from "../../core/errors.js";
import type { Estimator } from "../estimator.js";
import type { Columns } from "../matrix.js";
import { takeRows } from "../matrix.js";
import { Random, range } from "../random.js";
import type { BoundTarget } from "../target.js";
import { maxOf, minOf } from "../../core/extremes.js";

/**
 * Cross-validation schemes:
 * - `kfold`: rows shuffled with the seed, then dealt round-robin into k folds (sizes differ by ≤ 1).
 * - `group`: whole groups go to one fold; groups (shuffled with the seed, then largest first) are each
 *   put in the fold with the fewest rows so far, like scikit-learn's GroupKFold. No group is in two folds.
 * - `logo`: leave one group out; fold i holds the i-th group (in order of first appearance).
 */
export type CvScheme = "kfold" | "group" | "logo";
export const cvSchemes: readonly CvScheme[] = ["kfold", "group", "logo"];

export interface FoldOptions {
  /** Default 5, or fewer when there are fewer rows (kfold) or groups (group). */
  folds?: number;
  seed?: number;
  /** Group label of each row (required for `group` and `logo`). */
  groups?: ArrayLike<string>;
}

/** The fold (0-based) of every row. */
export function assignFolds(n: number, scheme: CvScheme, options: FoldOptions = {}): Int32Array {
  let k = options.folds ?? Math.min(5, n);
  const rng = new Random(options.seed ?? 0);
  const fold = new Int32Array(n);
  if (scheme === "kfold") {
    if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new SimlabError(`cannot make ${k} folds from ${n} rows`, "use --folds between 2 and the number of rows");
    rng.shuffle(range(n)).forEach((row, i) => (fold[row] = i % k));
    return fold;
  }
  const groups = options.groups;
  if (!groups) throw new SimlabError(`--cv ${scheme} needs a group column`, "pass --group COL (e.g. the workload column), or use --cv kfold");
  const members = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups[i]!;
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  }
  const names = [...members.keys()];
  if (names.length < 2) throw new SimlabError(`--cv ${scheme} needs at least 2 groups, but the group column has ${names.length}`, "use --cv kfold, or a column with several groups");
  if (scheme === "logo") {
    names.forEach((g, i) => members.get(g)!.forEach((row) => (fold[row] = i)));
    return fold;
  }
  if (options.folds === undefined) k = Math.min(5, names.length);
  if (!(Number.isInteger(k) && k >= 2 && k <= names.length)) throw new SimlabError(`cannot make ${k} group folds from ${names.length} groups`, `use --folds between 2 and ${names.length}, or --cv logo`);
  const order = rng.shuffle(range(names.length));
  const bySize = Array.from(order, (i) => names[i]!).sort((a, b) => members.get(b)!.length - members.get(a)!.length);
  const load = new Array<number>(k).fill(0);
  for (const g of bySize) {
    const target = load.indexOf(minOf(load));
    for (const row of members.get(g)!) fold[row] = target;
    load[target]! += members.get(g)!.length;
  }
  return fold;
}

/**
 * Out-of-fold predictions: for each fold, a fresh estimator (from `create`) is fitted on the other folds'
 * rows (target in model units via `target.forward`) and predicts the fold's rows (mapped back with
 * `target.inverse`). Checks `signal` between folds.
 */
export async function crossValidate(
  x: Columns,
  y: ArrayLike<number>,
  fold: Int32Array,
  create: () => Promise<Estimator>,
  target: BoundTarget,
  signal?: AbortSignal,
  /** Group id per row, passed to the model for objectives within groups. */
  groups?: ArrayLike<number>,
  /** Feature names, passed to the model (FitContext.featureNames). */
  featureNames?: readonly string[],
): Promise<Float64Array> {
  const n = y.length;
  const predicted = new Float64Array(n);
  const nFolds = maxOf(fold) + 1;
  for (let f = 0; f < nFolds; f++) {
    signal?.throwIfAborted();
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    if (test.length === 0) continue;
    const model = await create();
    try {
      model.fit(takeRows(x, train), target.forward(y, train), { ...(groups ? { groups: Int32Array.from(train, (i) => groups[i]!) } : {}), ...(featureNames ? { featureNames } : {}) });
      const out = target.inverse(model.predict(takeRows(x, test)), test);
      test.forEach((row, k) => (predicted[row] = out[k]!));
    } finally {
      model.dispose?.();
    }
    await new Promise((resolve) => setImmediate(resolve)); // let an interrupt arrive between folds
  }
  return predicted;
}
