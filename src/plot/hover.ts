import type { ColumnTable } from "arquero";

/** Columns of a predictions table that are not knobs. */
const predictionColumns = new Set(["row", "group", "measured", "predicted", "fold", "residual"]);

/** Row indices per group (in first-seen order); one "all" group when the table has no group column. */
export function rowsByGroup(table: ColumnTable, column = "group"): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const values = table.column(column) ? (table.array(column) as ArrayLike<unknown>) : undefined;
  for (let i = 0; i < table.numRows(); i++) {
    const key = values ? String(values[i]) : "all";
    let rows = groups.get(key);
    if (!rows) groups.set(key, (rows = []));
    rows.push(i);
  }
  return groups;
}

/**
 * Per row, "knob=value · knob=value" from every column that is not a prediction column and tells points
 * apart: a column with one value in the whole table (sweep=…, status=ok) is left out — it only made hover
 * text, the bulk of a figure's bytes, longer.
 */
export function hoverLabels(table: ColumnTable): string[] {
  const varies = (name: string) => {
    const values = table.array(name) as ArrayLike<unknown>;
    for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return true;
    return values.length <= 1;
  };
  const knobs = table.columnNames().filter((n) => !predictionColumns.has(n) && varies(n));
  const columns = knobs.map((k) => table.array(k) as ArrayLike<unknown>);
  const rowNumbers = table.column("row") ? (table.array("row") as ArrayLike<unknown>) : undefined;
  return Array.from({ length: table.numRows() }, (_, i) => {
    const parts = knobs.map((k, j) => `${k}=${formatValue(columns[j]![i])}`);
    if (rowNumbers) parts.unshift(`row ${String(rowNumbers[i])}`);
    return parts.join(" · ");
  });
}

function formatValue(v: unknown): string {
  return typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(4) : String(v);
}
