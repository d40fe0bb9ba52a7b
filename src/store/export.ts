import { parquetWriteBuffer } from "hyparquet-writer";
import type { Cell, WideColumns } from "./wide.js";

export const exportFormats = ["csv", "json", "parquet"] as const;
export type ExportFormat = (typeof exportFormats)[number];

function csvField(value: Cell): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The wide columns as CSV (header + one line per point), JSON (an array of row objects) or Parquet bytes. */
export function exportWide(wide: WideColumns, format: ExportFormat): string | Uint8Array {
  const { names, columns, rowCount } = wide;
  const rows = Array.from({ length: rowCount }, (_, i) => names.map((n) => columns[n]![i] ?? null));
  switch (format) {
    case "csv":
      return [names.map((n) => csvField(n)), ...rows.map((row) => row.map(csvField))].map((line) => line.join(",")).join("\n") + "\n";
    case "json":
      return JSON.stringify(rows.map((row) => Object.fromEntries(names.map((n, j) => [n, row[j]]))), null, 1) + "\n";
    case "parquet": {
      const columnData = names.map((name) => {
        const data = columns[name]!;
        const numeric = data.every((v) => v === null || typeof v === "number");
        return numeric ? { name, data, type: "DOUBLE" as const } : { name, data: data.map((v) => (v === null ? null : String(v))), type: "STRING" as const };
      });
      return new Uint8Array(parquetWriteBuffer({ columnData }));
    }
  }
}
