import { table, type ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { parseDecimal } from "./parse-decimal.js";
import { TextInterner } from "./text-interner.js";

const NUMBERS = 0, TEXT = 1, RETEXT = 2;

export interface DelimitedTextOptions {
  /** Field separator: "," for CSV (default), "\t" for TSV. */
  delimiter?: string;
  /** Where the text came from, for error messages (a file name). */
  source?: string;
}

/** Parses CSV/TSV text into a table (see `fromDelimitedBytes`). */
export function fromDelimitedText(text: string, options: DelimitedTextOptions = {}): ColumnTable {
  return fromDelimitedBytes(Buffer.from(text, "utf8"), options);
}

/**
 * A typed CSV/TSV reader over the file's bytes (no string of the whole file is made). One pass splits records
 * (quotes, "" escapes, CRLF, blank lines skipped), checks each record's field count against the header, and
 * fills each column as a Float64Array while all its values are numbers or pandas' tokens (`nan`, `NA`, empty,
 * `inf`, `-inf`: see `numericToken`) — types come from every row. A column that meets other text is read again
 * as strings in a second pass over the bytes (only then), so no value is changed by an early guess. Text
 * columns whose values are all `true`/`false` become booleans, as with arquero's `fromCSV`; dates stay text.
 */
export function fromDelimitedBytes(bytes: Uint8Array, options: DelimitedTextOptions = {}): ColumnTable {
  const delimiter = options.delimiter ?? ",";
  const source = options.source ?? "the text";
  const delim = delimiter.charCodeAt(0);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // BOM
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let names: string[] = [];
  let kinds = new Uint8Array(0); // per column: NUMBERS, TEXT, or RETEXT (numbers at first: re-read as text)
  let numbers: Float64Array[] = [];
  let texts: Array<string | null>[] = [];
  let interners: TextInterner[] = [];
  let rows = 0;
  let capacity = 1024; // of every numeric column
  let retext = 0;

  scan(buffer, start, delim, source, (fields, line) => {
    if (rows === 0 && names.length === 0) {
      names = Array.from({ length: fields.count }, (_, k) => fieldText(buffer, fields, k));
      kinds = new Uint8Array(names.length);
      numbers = names.map(() => new Float64Array(capacity));
      texts = names.map(() => []);
      interners = names.map(() => new TextInterner(buffer));
      return;
    }
    if (fields.count !== names.length) {
      throw new SimlabError(
        `${source} line ${line}: ${fields.count} field${fields.count === 1 ? "" : "s"}, but the header has ${names.length}`,
        delimiter === "\t" ? "check for missing or extra tabs on that line" : `check for missing or extra "${delimiter}" on that line (quote values that contain it)`,
      );
    }
    if (rows === capacity) {
      // Grow every column at once, to the row count the bytes read so far predict (so 1 M rows are not copied
      // ten times over), at least doubling.
      const read = fields.to[fields.count - 1]! - start;
      const predicted = Math.ceil((rows * (buffer.length - start)) / Math.max(read, 1) * 1.02) + 1024;
      capacity = predicted > rows * 1.25 ? predicted : rows * 2;
      numbers = numbers.map((column, c) => {
        if (kinds[c] !== NUMBERS) return column;
        const grown = new Float64Array(capacity);
        grown.set(column);
        return grown;
      });
    }
    for (let c = 0; c < fields.count; c++) {
      const kind = kinds[c];
      if (kind === NUMBERS) {
        const value = fieldNumber(buffer, fields, c);
        if (value !== undefined) {
          numbers[c]![rows] = value;
          continue;
        }
        numbers[c] = new Float64Array(0);
        if (rows > 0) {
          kinds[c] = RETEXT; // numbers so far: re-read this column as text in a second pass
          retext++;
          continue;
        }
        kinds[c] = TEXT;
      }
      if (kind !== RETEXT) texts[c]!.push(fieldOrNull(buffer, fields, c, interners[c]!));
    }
    rows++;
  });
  if (names.length === 0) throw new SimlabError(`${source} is empty`, "expected a header line and rows of values");

  if (retext > 0) {
    let header = true;
    scan(buffer, start, delim, source, (fields) => {
      if (header) {
        header = false;
        return;
      }
      for (let c = 0; c < fields.count; c++) if (kinds[c] === RETEXT) texts[c]!.push(fieldOrNull(buffer, fields, c, interners[c]!));
    });
  }
  const columns: Record<string, ArrayLike<unknown>> = {};
  names.forEach((name, c) => {
    columns[name] = kinds[c] === NUMBERS ? numbers[c]!.subarray(0, rows) : (asBooleans(texts[c]!) ?? texts[c]!);
  });
  return table(columns);
}

/**
 * The fields of the current record, reused from record to record (no object per field): field k spans bytes
 * [from[k], to[k]); quoted[k] = 1 when it was quoted (then "" stands for ").
 */
class Fields {
  count = 0;
  from = new Int32Array(64);
  to = new Int32Array(64);
  quoted = new Uint8Array(64);
  push(from: number, to: number, quoted: boolean): void {
    if (this.count === this.from.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T) => (b.set(a), b);
      this.from = grow(this.from, new Int32Array(this.count * 2));
      this.to = grow(this.to, new Int32Array(this.count * 2));
      this.quoted = grow(this.quoted, new Uint8Array(this.count * 2));
    }
    this.from[this.count] = from;
    this.to[this.count] = to;
    this.quoted[this.count++] = quoted ? 1 : 0;
  }
}

/** Calls `record(fields, line)` for every non-blank record, with the 1-based line it starts on. */
function scan(bytes: Buffer, start: number, delim: number, source: string, record: (fields: Fields, line: number) => void): void {
  const QUOTE = 34, NL = 10, CR = 13;
  const n = bytes.length;
  const fields = new Fields();
  let line = 1;
  let i = start;
  while (i < n) {
    const recordLine = line;
    fields.count = 0;
    let blank = true;
    for (;;) {
      // one field
      if (bytes[i] === QUOTE) {
        blank = false;
        const from = i + 1;
        let j = from;
        for (;;) {
          if (j >= n) throw new SimlabError(`${source} line ${recordLine}: a quoted value is never closed`, 'close it with " (write "" for a quote inside a value)');
          const c = bytes[j]!;
          if (c === QUOTE) {
            if (bytes[j + 1] === QUOTE) j += 2;
            else break;
          } else {
            if (c === NL) line++;
            j++;
          }
        }
        fields.push(from, j, true);
        i = j + 1;
        while (i < n && bytes[i] !== delim && bytes[i] !== NL) i++; // text after the closing quote is ignored
      } else {
        const from = i;
        while (i < n && bytes[i] !== delim && bytes[i] !== NL) i++;
        let to = i;
        if (to > from && bytes[to - 1] === CR) to--;
        if (to > from) blank = false;
        fields.push(from, to, false);
      }
      if (i < n && bytes[i] === delim) {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    if (i < n) i++; // the newline
    line++;
    if (!blank) record(fields, recordLine);
  }
}

function fieldText(bytes: Buffer, f: Fields, k: number): string {
  const text = bytes.toString("utf8", f.from[k], f.to[k]);
  return f.quoted[k] ? text.replace(/""/g, '"') : text;
}

function fieldOrNull(bytes: Buffer, f: Fields, k: number, interner: TextInterner): string | null {
  if (f.quoted[k]) return fieldText(bytes, f, k);
  return f.from[k] === f.to[k] ? null : interner.text(f.from[k]!, f.to[k]!);
}

/** The number a field holds, or undefined when it is not numeric: plain decimals straight from the bytes. */
function fieldNumber(bytes: Buffer, f: Fields, k: number): number | undefined {
  const value = parseDecimal(bytes, f.from[k]!, f.to[k]!);
  return Number.isNaN(value) ? numericToken(fieldText(bytes, f, k)) : value;
}

function asBooleans(values: Array<string | null>): Array<boolean | null> | undefined {
  let seen = false;
  for (const v of values) {
    if (v === null) continue;
    if (v !== "true" && v !== "false") return undefined;
    seen = true;
  }
  return seen ? values.map((v) => (v === null ? null : v === "true")) : undefined;
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
