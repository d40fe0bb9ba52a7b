/**
 * Rich reprs of plain JavaScript collections: a Map as a key/value table, a Set as a list, a typed array as its
 * head with length and range, an array of records as a table. Each bundle keeps util.inspect's text as text/plain.
 */
import { inspect } from "node:util";
import { escapeHtml } from "./escape-html.js";
import type { MimeBundle } from "./types.js";

const HEAD = 20;
const MAX_COLUMNS = 30;

function short(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 79)}…` : value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  const text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 5, maxStringLength: 40 });
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

const cell = (value: unknown, tag = "td") => `<${tag}>${escapeHtml(short(value))}</${tag}>`;
const more = (shown: number, total: number) => (total > shown ? `<p>first ${shown} of ${total} shown</p>` : "");

function table(header: readonly string[], rows: readonly unknown[][]): string {
  return `<table><thead><tr>${header.map((h) => cell(h, "th")).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => cell(v)).join("")}</tr>`).join("")}</tbody></table>`;
}

function mapBundle(map: Map<unknown, unknown>, text: string): MimeBundle {
  const rows = [...map.entries()].slice(0, HEAD).map(([k, v]) => [k, v]);
  return { "text/html": `<div class="simlab-map"><p>Map(${map.size})</p>${table(["key", "value"], rows)}${more(rows.length, map.size)}</div>`, "text/plain": text };
}

function setBundle(set: Set<unknown>, text: string): MimeBundle {
  const items = [...set].slice(0, HEAD);
  return { "text/html": `<div class="simlab-set"><p>Set(${set.size})</p><ul>${items.map((v) => cell(v, "li")).join("")}</ul>${more(items.length, set.size)}</div>`, "text/plain": text };
}

type NumericArray = Exclude<NodeJS.TypedArray, Buffer>;

function typedArrayBundle(array: NumericArray, text: string): MimeBundle {
  const name = array.constructor.name;
  let min: number | bigint | undefined;
  let max: number | bigint | undefined;
  const values = array as ArrayLike<number | bigint>;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (min === undefined || v < min) min = v;
    if (max === undefined || v > max) max = v;
  }
  const head = Array.from(array.subarray(0, HEAD) as ArrayLike<number | bigint>).map((v) => short(v)).join(", ");
  const range = min === undefined ? "" : `, min ${escapeHtml(short(min))}, max ${escapeHtml(short(max))}`;
  return { "text/html": `<div class="simlab-typed-array"><p>${name}, length ${array.length}${range}</p><code>[${escapeHtml(head)}${array.length > HEAD ? ", …" : ""}]</code></div>`, "text/plain": text };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function recordsBundle(records: readonly Record<string, unknown>[], text: string): MimeBundle {
  const columns = [...new Set(records.slice(0, HEAD).flatMap((r) => Object.keys(r)))].slice(0, MAX_COLUMNS);
  const rows = records.slice(0, HEAD).map((r) => columns.map((c) => (c in r ? r[c] : "")));
  return { "text/html": `<div class="simlab-records">${table(columns, rows)}<p>${records.length} record${records.length === 1 ? "" : "s"}${records.length > HEAD ? ` (first ${HEAD} shown)` : ""}</p></div>`, "text/plain": text };
}

/** The rich bundle of a Map, Set, typed array or non-empty array of plain records; undefined for anything else. */
export function collectionBundle(value: unknown, text: string): MimeBundle | undefined {
  if (value instanceof Map) return mapBundle(value, text);
  if (value instanceof Set) return setBundle(value, text);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !Buffer.isBuffer(value)) return typedArrayBundle(value as NumericArray, text);
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) return recordsBundle(value, text);
  return undefined;
}
