import type { ColumnTable } from "arquero";

/** Type guards for values that cross a boundary (parsed JSON, notebook values). */

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An arquero table, recognised by its methods (a table from another copy of arquero passes too). */
export function isColumnTable(value: unknown): value is ColumnTable {
  return typeof value === "object" && value !== null && typeof (value as Partial<ColumnTable>).columnNames === "function" && typeof (value as Partial<ColumnTable>).array === "function";
}
