/** arquero tables as a MIME bundle: an HTML table of the head rows and a fixed-width text table, both with the size. */
import type { MimeBundle } from "./types.js";
import { maxOf } from "../core/extremes.js";

/** The part of arquero's ColumnTable the display needs (duck-typed so display does not load arquero). */
export interface TableLike {
  numRows(): number;
  numCols(): number;
  columnNames(): string[];
  objects(options?: { limit?: number }): Record<string, unknown>[];
  toHTML(options?: { limit?: number }): string;
}

export const HEAD_ROWS = 20;

export function isTableLike(value: unknown): value is TableLike {
  if (typeof value !== "object" || value === null) return false;
  const table = value as Partial<Record<keyof TableLike, unknown>>;
  return (["numRows", "numCols", "columnNames", "objects", "toHTML"] as const).every((name) => typeof table[name] === "function");
}

function sizeLine(table: TableLike): string {
  const rows = table.numRows();
  const cols = table.numCols();
  return `${rows} row${rows === 1 ? "" : "s"} × ${cols} column${cols === 1 ? "" : "s"}`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (value instanceof Date) return value.toISOString();
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function textTable(table: TableLike): string {
  const names = table.columnNames();
  const rows = table.objects({ limit: HEAD_ROWS }).map((row) => names.map((name) => cellText(row[name])));
  const widths = names.map((name, i) => Math.min(30, Math.max(name.length, maxOf(rows.map((row) => row[i]!.length)))));
  const fit = (text: string, i: number) => (text.length > widths[i]! ? `${text.slice(0, widths[i]! - 1)}…` : text.padStart(widths[i]!));
  const lines = [names.map(fit).join("  "), ...rows.map((row) => row.map(fit).join("  "))];
  if (table.numRows() > rows.length) lines.push("…");
  lines.push(sizeLine(table));
  return lines.join("\n");
}

export function tableBundle(table: TableLike): MimeBundle {
  const more = table.numRows() > HEAD_ROWS ? ` (first ${HEAD_ROWS} shown)` : "";
  return {
    "text/html": `<div class="simlab-table">${table.toHTML({ limit: HEAD_ROWS })}<p>${sizeLine(table)}${more}</p></div>`,
    "text/plain": textTable(table),
  };
}
