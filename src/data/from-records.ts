import { table, type ColumnTable } from "arquero";

/**
 * A table from an array of plain records. Columns are the union of the records' keys in first-seen order;
 * a key a record lacks is null in that row; bigints become numbers.
 */
export function fromRecords(records: readonly Record<string, unknown>[], names?: readonly string[]): ColumnTable {
  const columns = names ? [...names] : keysOf(records);
  const data: Record<string, unknown[]> = {};
  for (const name of columns) {
    data[name] = records.map((r) => {
      const v = r[name];
      return typeof v === "bigint" ? Number(v) : v === undefined ? null : v;
    });
  }
  return table(data, columns);
}

function keysOf(records: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
