import { table, type ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { fromRecords } from "./from-records.js";
import { isRecord } from "../core/guards.js";

/**
 * Parses JSON text into a table: an array of records (`[{"a":1},…]`), a column object (`{"a":[1,2],…}`),
 * or JSON lines (one record per line) when the text is not a single JSON value.
 */
export function fromJSONText(text: string, source = "the text"): ColumnTable {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw new SimlabError(`${source} is empty`, "expected an array of records, a column object or JSON lines");
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    if (looksLikeJSONLines(body)) return fromJSONLines(body, source);
    throw new SimlabError(`${source} is not valid JSON: ${jsonErrorAt(body, e)}`, "expected an array of records, a column object or JSON lines");
  }
  return fromJSONValue(value, source);
}

/** Parses newline-delimited JSON (one record object per line; blank lines skipped). */
export function fromJSONLines(text: string, source = "the text"): ColumnTable {
  const records: Record<string, unknown>[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new SimlabError(`${source} line ${i + 1} is not valid JSON: ${jsonErrorAt(line, e)}`, "JSON lines hold one record object per line");
    }
    if (!isRecord(value)) throw new SimlabError(`${source} line ${i + 1} is not a JSON object`, "JSON lines hold one record object per line");
    records.push(value);
  });
  return fromRecords(records);
}

function fromJSONValue(value: unknown, source: string): ColumnTable {
  if (Array.isArray(value)) {
    const bad = value.findIndex((r) => !isRecord(r));
    if (bad >= 0) throw new SimlabError(`${source}: element ${bad} of the array is not an object`, "expected an array of records like [{\"a\": 1, \"b\": 2}, …]");
    return fromRecords(value as Record<string, unknown>[]);
  }
  if (isRecord(value)) {
    const columns = Object.entries(value);
    const notArray = columns.find(([, v]) => !Array.isArray(v));
    if (notArray) throw new SimlabError(`${source}: "${notArray[0]}" is not an array of values`, "a column object maps each column name to an array, like {\"a\": [1, 2], \"b\": [3, 4]}");
    const lengths = new Set(columns.map(([, v]) => (v as unknown[]).length));
    if (lengths.size > 1) throw new SimlabError(`${source}: the columns have different lengths (${[...lengths].join(", ")})`, "every column array must have one value per row");
    return table(value as Record<string, unknown[]>);
  }
  throw new SimlabError(`${source} holds a JSON ${value === null ? "null" : typeof value}, not a table`, "expected an array of records, a column object or JSON lines");
}


function looksLikeJSONLines(text: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.length > 1 && lines[0]!.trim().startsWith("{");
}

/** The parser's message with the position turned into "line L, column C" when the engine gives one. */
function jsonErrorAt(text: string, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").slice(0, 160);
  const match = /position (\d+)/.exec(message);
  if (!match) return message;
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${message.replace(/\s*\(?line \d+ column \d+\)?/, "").replace(/ in JSON at position \d+.*$/, "")} at line ${line}, column ${column}`;
}
