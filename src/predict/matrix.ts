import { SimlabError } from "../core/errors.js";

/**
 * Feature data, column-major: one Float64Array per feature, all of the same length (the rows).
 * Estimators also accept row-major `number[][]` (one array per row), converted once by `toColumns`.
 */
export type Columns = readonly Float64Array[];
export type FeatureInput = Columns | readonly (readonly number[])[];

export function isColumns(x: FeatureInput): x is Columns {
  return x.length === 0 || x[0] instanceof Float64Array;
}

/** Column-major view of the input; row-major `number[][]` is transposed (copied once). */
export function toColumns(x: FeatureInput): Columns {
  if (isColumns(x)) {
    const n = x[0]?.length ?? 0;
    for (const c of x) if (c.length !== n) throw new Error("feature columns differ in length");
    return x;
  }
  const rows = x as readonly (readonly number[])[];
  const p = rows[0]?.length ?? 0;
  const cols = Array.from({ length: p }, () => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    if (row.length !== p) throw new Error(`row ${i} has ${row.length} values, expected ${p}`);
    for (let j = 0; j < p; j++) cols[j]![i] = row[j]!;
  });
  return cols;
}

export function rowCount(x: Columns): number {
  return x[0]?.length ?? 0;
}

/** Row-major copy (for libraries such as ml-cart that want `number[][]`). */
export function toRows(x: Columns): number[][] {
  const n = rowCount(x);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = x.map((c) => c[i]!);
  return rows;
}

/** The selected rows of every column. */
export function takeRows(x: Columns, rows: ArrayLike<number>): Float64Array[] {
  return x.map((c) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = c[rows[i]!]!;
    return out;
  });
}

export function take(y: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]!]!;
  return out;
}

/** Checks the shape agreed between a feature matrix and a target, and that every value is finite. */
export function checkTrainingData(x: Columns, y: ArrayLike<number>): void {
  const n = rowCount(x);
  if (x.length === 0) throw new SimlabError("no features to fit on", "pass at least one feature column");
  if (n !== y.length) throw new Error(`features have ${n} rows but the target has ${y.length}`);
  if (n === 0) throw new SimlabError("no rows to fit on", "check the data file and any filters");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) throw new SimlabError(`the target has a non-finite value at row ${i}`, "drop or fill missing runtimes before fitting");
  }
  x.forEach((c, j) => {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]!)) throw new SimlabError(`feature ${j} has a non-finite value at row ${i}`, "drop or fill missing values before fitting");
    }
  });
}
