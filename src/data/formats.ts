import { extname } from "node:path";
import { SimlabError } from "../core/errors.js";

export const tableFormats = ["csv", "tsv", "json", "ndjson", "parquet", "arrow", "sqlite"] as const;
export type TableFormat = (typeof tableFormats)[number];

const extensions: Record<string, TableFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".json": "json",
  ".jsonl": "ndjson",
  ".ndjson": "ndjson",
  ".parquet": "parquet",
  ".pq": "parquet",
  ".arrow": "arrow",
  ".arrows": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
  ".db": "sqlite",
  ".sqlite": "sqlite",
  ".sqlite3": "sqlite",
};

/** "csv (.csv), tsv (.tsv .tab), …" for hints. */
export function describeFormats(): string {
  return tableFormats
    .map((f) => `${f} (${Object.keys(extensions).filter((e) => extensions[e] === f).join(" ")})`)
    .join(", ");
}

export function checkFormat(name: string): TableFormat {
  if ((tableFormats as readonly string[]).includes(name)) return name as TableFormat;
  throw new SimlabError(`unknown format "${name}"`, `formats: ${tableFormats.join(", ")}`);
}

export function formatFromExtension(path: string): TableFormat | undefined {
  return extensions[extname(path).toLowerCase()];
}

/** Guesses the format from the first bytes of a file (magic numbers, then the shape of the text). */
export function sniffFormat(head: Uint8Array): TableFormat | undefined {
  const ascii = Buffer.from(head.subarray(0, 16)).toString("latin1");
  if (ascii.startsWith("PAR1")) return "parquet";
  if (ascii.startsWith("ARROW1")) return "arrow";
  if (head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return "arrow"; // IPC stream
  if (ascii.startsWith("SQLite format 3\0")) return "sqlite";
  if (head.includes(0)) return undefined; // some other binary file
  const text = Buffer.from(head).toString("utf8").replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return "json";
  if (trimmed.startsWith("{")) {
    const lines = trimmed.split("\n").filter((l) => l.trim() !== "");
    return lines.length > 1 && lines.slice(0, -1).every((l) => /^\s*\{.*\}\s*$/.test(l)) ? "ndjson" : "json";
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (firstLine.includes("\t")) return "tsv";
  if (firstLine.includes(",")) return "csv";
  return undefined;
}
