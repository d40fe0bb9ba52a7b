import { SimlabError } from "../../core/errors.js";

/**
 * Checks that a metric input column has a finite number in every row. A missing value (an empty cell, NA,
 * NaN) or ±inf would otherwise turn some metrics into null while the ranking metrics still look perfect,
 * so it is an error naming the first such row (1-based, the first row after a CSV header is row 1) and
 * how many there are.
 */
export function requireComplete(name: string, values: ArrayLike<number>): void {
  let first = -1, count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return;
  const v = values[first]!;
  const what = Number.isNaN(v) ? "is missing (empty, NA or NaN)" : `is ${v > 0 ? "" : "-"}inf`;
  throw new SimlabError(
    `"${name}" ${what} in row ${first + 1}${count > 1 ? ` and ${count - 1} other row${count > 2 ? "s" : ""}` : ""} (rows count from 1 after the header)`,
    `every row needs a finite measured and predicted number: drop or fill the incomplete rows first, e.g. table.filter(d => isFinite(d.${name}))`,
  );
}
