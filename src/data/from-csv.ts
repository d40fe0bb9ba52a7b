import { fromCSV, type ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";

export interface DelimitedTextOptions {
  /** Field separator: "," for CSV (default), "\t" for TSV. */
  delimiter?: string;
  /** Where the text came from, for error messages (a file name). */
  source?: string;
}

/**
 * Parses CSV/TSV text into a table. Unlike a plain `aq.fromCSV`, every row must have the header's number
 * of fields (a SimlabError names the line otherwise), blank lines are skipped, a value past row 1,000 that
 * does not fit the column's inferred type keeps the column as text (instead of silently becoming NaN), and
 * numeric columns may hold `nan`, `inf`, `-inf` or `NA` as pandas writes them.
 */
export function fromDelimitedText(text: string, options: DelimitedTextOptions = {}): ColumnTable {
  const delimiter = options.delimiter ?? ",";
  const source = options.source ?? "the text";
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw new SimlabError(`${source} is empty`, "expected a header line and rows of values");
  const { records, cleaned } = scanRecords(body, delimiter, source);
  // arquero infers each column's type from the first 1,000 rows; a later value that does not fit would
  // become NaN, true or an Invalid Date. Re-infer from every row only when such a value may exist.
  const quick = fromCSV(cleaned, { delimiter });
  const table = records > inferenceRows && mayHaveMisparsed(quick) ? fromCSV(cleaned, { delimiter, autoMax: records }) : quick;
  return parseNumericStrings(table);
}

/** arquero's default type-inference sample (autoMax). */
const inferenceRows = 1000;

/** Whether a column holds a NaN number, an invalid date, or booleans (where a stray value would read as true). */
function mayHaveMisparsed(table: ColumnTable): boolean {
  return table.columnNames().some((name) => {
    const values = table.array(name) as ArrayLike<unknown>;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === "boolean") return true;
      if (typeof v === "number" && v !== v) return true;
      if (v instanceof Date && Number.isNaN(v.getTime())) return true;
      if (typeof v === "string") return false;
    }
    return false;
  });
}

/**
 * Checks that every record has as many fields as the header (honouring quotes) and drops blank lines.
 * Returns the number of records (header included) and the text without blank lines.
 */
function scanRecords(text: string, delimiter: string, source: string): { records: number; cleaned: string } {
  const delim = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const NL = 10;
  const CR = 13;
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let empty = true;
  let atFieldStart = true;
  let quotedFrom = 0;
  let expected = -1;
  let records = 0;
  let recordStart = 0;
  const blanks: Array<[number, number]> = [];
  let inQuotes = false;

  const endRecord = (end: number): void => {
    if (empty) {
      blanks.push([recordStart, end]);
      return;
    }
    if (expected < 0) expected = fields;
    else if (fields !== expected) {
      throw new SimlabError(
        `${source} line ${recordLine}: ${fields} field${fields === 1 ? "" : "s"}, but the header has ${expected}`,
        delimiter === "\t" ? "check for missing or extra tabs on that line" : `check for missing or extra "${delimiter}" on that line (quote values that contain it)`,
      );
    }
    records++;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      } else if (c === NL) line++;
      continue;
    }
    if (c === NL) {
      endRecord(i + 1);
      recordStart = i + 1;
      line++;
      recordLine = line;
      fields = 1;
      empty = true;
      atFieldStart = true;
      continue;
    }
    if (c === CR) continue;
    empty = false;
    if (c === delim) {
      fields++;
      atFieldStart = true;
    } else {
      if (c === QUOTE && atFieldStart) {
        inQuotes = true;
        quotedFrom = line;
      }
      atFieldStart = false;
    }
  }
  if (inQuotes) throw new SimlabError(`${source} line ${quotedFrom}: a quoted value is never closed`, 'close it with " (write "" for a quote inside a value)');
  endRecord(text.length);
  return { records, cleaned: blanks.length === 0 ? text : withoutRanges(text, blanks) };
}

function withoutRanges(text: string, ranges: ReadonlyArray<[number, number]>): string {
  let out = "";
  let from = 0;
  for (const [start, end] of ranges) {
    out += text.slice(from, start);
    from = end;
  }
  return out + text.slice(from);
}

const missingTokens = new Set(["", "na", "nan", "null", "none", "n/a"]);
const infinities: Record<string, number> = { inf: Infinity, "+inf": Infinity, infinity: Infinity, "+infinity": Infinity, "-inf": -Infinity, "-infinity": -Infinity };
const decimal = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/;

/**
 * The number a CSV field stands for: a decimal number, ±inf, or NaN for a missing-value token (empty,
 * `NA`, `nan`, `null`, `None`, `N/A`, in any case); undefined when the field is not numeric.
 */
export function numericToken(field: string): number | undefined {
  const token = field.trim().toLowerCase();
  if (missingTokens.has(token)) return NaN;
  if (token in infinities) return infinities[token]!;
  return decimal.test(token) ? Number(token) : undefined;
}

/**
 * Converts the columns that arquero kept as text because of a missing-value or infinity token (`nan`,
 * `NA`, `inf`, …) into numbers: a column becomes numeric when every value is a number, null, or a numeric
 * token (`numericToken`). Any other text keeps the column as text.
 */
function parseNumericStrings(table: ColumnTable): ColumnTable {
  const converted: Record<string, Float64Array> = {};
  for (const name of table.columnNames()) {
    const values = table.array(name) as unknown[];
    if (!values.some((v) => typeof v === "string")) continue;
    const out = new Float64Array(values.length);
    let ok = true;
    for (let i = 0; i < values.length && ok; i++) {
      const v = values[i];
      const number = typeof v === "number" ? v : v === null || v === undefined ? NaN : typeof v === "string" ? numericToken(v) : undefined;
      if (number === undefined) ok = false;
      else out[i] = number;
    }
    if (ok) converted[name] = out;
  }
  return Object.keys(converted).length > 0 ? table.assign(converted) : table;
}
