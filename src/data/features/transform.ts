import type { ColumnTable } from "arquero";
import { SimlabError } from "../../core/errors.js";
import { numericColumn } from "../columns.js";

export type LogKind = "log1p" | "log" | "log2" | "log10";

const logs: Record<LogKind, (x: number) => number> = { log1p: Math.log1p, log: Math.log, log2: Math.log2, log10: Math.log10 };

export interface LogOptions {
  /**
   * "log1p" (default) = ln(1 + x): for counts (events, misses), defined at 0, so a variant with no misses
   * stays at 0. "log" / "log2" / "log10": for positive quantities such as runtimes (0 → -Infinity).
   * Negative inputs give NaN for every kind.
   */
  kind?: LogKind;
  /** Appended to each column's name for the result; "" replaces the column. Default "_" + kind. */
  suffix?: string;
}

/** Adds log-transformed copies of numeric columns (e.g. `cachegrind.kernel.D1mr_log1p`). */
export function logTransform(table: ColumnTable, columns: string | readonly string[], options: LogOptions = {}): ColumnTable {
  const kind = options.kind ?? "log1p";
  const f = logs[kind];
  if (!f) throw new SimlabError(`unknown log kind "${String(kind)}"`, `use one of ${Object.keys(logs).join(", ")}`);
  const suffix = options.suffix ?? `_${kind}`;
  const names = typeof columns === "string" ? [columns] : columns;
  const out: Record<string, Float64Array> = {};
  for (const name of names) out[name + suffix] = numericColumn(table, name).map(f);
  return table.assign(out);
}
