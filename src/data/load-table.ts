import { open, readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { checkFormat, describeFormats, formatFromExtension, sniffFormat, type TableFormat } from "./formats.js";
import { fromArrowBytes } from "./from-arrow.js";
import { fromJSONLines, fromJSONText } from "./from-json.js";
import { fromParquetBytes } from "./from-parquet.js";
import { readDelimitedFile } from "./read-delimited-file.js";
import { checkUtf8 } from "./utf8.js";
import { fromStore, type StoreOptions } from "./from-store.js";

export interface LoadOptions extends StoreOptions {
  /** The file's format; default: from the extension, else from the first bytes. */
  format?: TableFormat | string;
}

/**
 * Loads a file into an arquero table: CSV/TSV, JSON (records, columns or JSON lines), Parquet, Arrow IPC, or
 * a simlab sweep store (SQLite; `sweep` selects one sweep's points). Every problem is a SimlabError.
 */
export async function loadTable(source: string, options: LoadOptions = {}): Promise<ColumnTable> {
  const path = resolve(source);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new SimlabError(`no such file: ${source}`, `paths are relative to the current folder, ${process.cwd()}`);
  if (info.isDirectory()) throw new SimlabError(`${source} is a folder, not a file`, "name a data file inside it");
  const format = options.format !== undefined ? checkFormat(options.format) : (formatFromExtension(path) ?? (await sniffFile(path, source)));
  switch (format) {
    case "sqlite":
      return fromStore(path, options);
    case "parquet":
      return fromParquetBytes(await readFile(path), source);
    case "arrow":
      return fromArrowBytes(await readFile(path), source);
    case "csv":
    case "tsv":
      return readDelimitedFile(path, { delimiter: format === "tsv" ? "\t" : ",", source }, {
        refuse: (head) => refuseBinary(head, source),
        invalidUtf8: async () => {
          checkUtf8(await readFile(path), source); // the whole file, for the line and offset of the bad byte
          throw new SimlabError(`${source} is not valid UTF-8`, "save the file as UTF-8");
        },
      });
    case "json":
      return fromJSONText(await readText(path, source), source);
    case "ndjson":
      return fromJSONLines(await readText(path, source), source);
  }
}

async function sniffFile(path: string, source: string): Promise<TableFormat> {
  const handle = await open(path, "r");
  try {
    const head = new Uint8Array(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = sniffFormat(head.subarray(0, bytesRead));
    if (format) return format;
  } finally {
    await handle.close();
  }
  throw new SimlabError(`cannot tell the format of ${source}`, `formats: ${describeFormats()}; or pass --format`);
}

/** Reads a text file, refusing binary content (a NUL byte) and invalid UTF-8 with a clear message. */
async function readText(path: string, source: string): Promise<string> {
  return (await readTextBytes(path, source)).toString("utf8");
}

/** A text file's bytes, checked as `readText` checks them (without making a string of the whole file). */
async function readTextBytes(path: string, source: string): Promise<Buffer> {
  const bytes = await readFile(path);
  refuseBinary(bytes, source);
  checkUtf8(bytes, source);
  return bytes;
}

/** Refuses binary content: a NUL byte in the first 64 KiB (naming the format it looks like). */
function refuseBinary(head: Buffer, source: string): void {
  const nul = head.subarray(0, 65536).indexOf(0);
  if (nul >= 0) {
    const guess = sniffFormat(head.subarray(0, 4096));
    throw new SimlabError(`${source} is binary (a NUL byte at offset ${nul}), not text`, guess ? `it looks like ${guess}: pass --format ${guess}` : `formats: ${describeFormats()}`);
  }
}
