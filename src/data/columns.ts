import type { ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { closest } from "../core/suggest.js";

/** Throws a SimlabError naming `name` (and the closest existing column) when the table lacks it. */
export function requireColumn(table: ColumnTable, name: string): void {
  if (table.column(name) !== undefined) return;
  const columns = table.columnNames();
  const near = closest(name, columns);
  throw new SimlabError(
    `no column "${name}" in the table`,
    near ? `did you mean "${near}"?` : `the columns are: ${preview(columns)}`,
  );
}

/**
 * The values of a numeric column as a Float64Array, in the table's row order. Missing values (null,
 * undefined) become NaN; bigints are converted. Any other non-number is a SimlabError naming the column.
 */
export function numericColumn(table: ColumnTable, name: string): Float64Array {
  requireColumn(table, name);
  const values = table.array(name);
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v === "number") out[i] = v;
    else if (typeof v === "bigint") out[i] = Number(v);
    else if (v === null || v === undefined) out[i] = NaN;
    else {
      throw new SimlabError(
        `column "${name}" is not numeric (row ${i}: ${JSON.stringify(String(v))})`,
        "choose a numeric column, or convert it first, e.g. table.derive({ x: d => +d.x })",
      );
    }
  }
  return out;
}

/** Whether every present value of the column is a number (or bigint); empty columns count as numeric. */
export function isNumericColumn(table: ColumnTable, name: string): boolean {
  const values = table.array(name);
  if (ArrayBuffer.isView(values)) return true;
  for (const v of values as unknown[]) {
    if (v !== null && v !== undefined && typeof v !== "number" && typeof v !== "bigint") return false;
  }
  return true;
}

/** A short list of column names for error hints. */
export function preview(names: readonly string[], max = 12): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")}, … (${names.length} in all)`;
}
