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
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = new DelimitedReader(options, buffer.length);
  reader.read(buffer, true);
  if (reader.needsSecondPass()) {
    reader.beginSecondPass();
    reader.read(buffer, true);
  }
  return reader.table();
}

/**
 * `fromDelimitedBytes` fed chunk by chunk (a large file need not be in memory at once): `read` parses the
 * complete records of a chunk and returns where the incomplete last one begins; the caller passes those bytes
 * again at the start of the next chunk. When `needsSecondPass()`, the caller calls `beginSecondPass` and feeds
 * the same bytes again; then `table()`.
 */
export class DelimitedReader {
  private readonly delimiter: string;
  private readonly delim: number;
  private readonly source: string;
  private readonly fields = new Fields();
  private names: string[] = [];
  private kinds = new Uint8Array(0); // per column: NUMBERS, TEXT, or RETEXT (numbers at first: re-read as text)
  private numbers: Float64Array[] = [];
  private texts: Array<string | null>[] = [];
  private interners: TextInterner[] = [];
  private rows = 0;
  private capacity = 1024; // of every numeric column
  private retext = 0;
  private secondPass = false;
  private line = 1; // of the next record
  private consumed = 0; // bytes of the source parsed so far in this pass
  private header = true; // the next record is the header

  /** `totalBytes` (the source's size) lets columns be sized once instead of grown many times. */
  constructor(options: DelimitedTextOptions, private readonly totalBytes: number) {
    this.delimiter = options.delimiter ?? ",";
    this.delim = this.delimiter.charCodeAt(0);
    this.source = options.source ?? "the text";
  }

  /** Parses the complete records of `chunk` (all of them when `last`); returns the offset of the rest. */
  read(chunk: Buffer, last: boolean): number {
    const start = this.consumed === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0; // BOM
    const used = this.scan(chunk, start, last);
    this.consumed += used;
    if (last && this.names.length === 0) throw new SimlabError(`${this.source} is empty`, "expected a header line and rows of values");
    return used;
  }

  needsSecondPass(): boolean {
    return this.retext > 0 && !this.secondPass;
  }

  beginSecondPass(): void {
    this.secondPass = true;
    this.line = 1;
    this.consumed = 0;
    this.header = true;
  }

  table(): ColumnTable {
    const columns: Record<string, ArrayLike<unknown>> = {};
    this.names.forEach((name, c) => {
      const texts = this.texts[c]!;
      columns[name] = this.kinds[c] === NUMBERS ? this.numbers[c]!.subarray(0, this.rows) : (asBooleans(texts) ?? texts);
    });
    return table(columns);
  }

  private record(bytes: Buffer, fields: Fields, line: number): void {
    if (this.header) {
      this.header = false;
      if (this.secondPass) return;
      this.names = Array.from({ length: fields.count }, (_, k) => fieldText(bytes, fields, k));
      this.kinds = new Uint8Array(this.names.length);
      this.numbers = this.names.map(() => new Float64Array(this.capacity));
      this.texts = this.names.map(() => []);
      this.interners = this.names.map(() => new TextInterner());
      return;
    }
    const { kinds, texts, interners } = this;
    if (this.secondPass) {
      for (let c = 0; c < fields.count; c++) if (kinds[c] === RETEXT) texts[c]!.push(fieldOrNull(bytes, fields, c, interners[c]!));
      return;
    }
    if (fields.count !== this.names.length) {
      throw new SimlabError(
        `${this.source} line ${line}: ${fields.count} field${fields.count === 1 ? "" : "s"}, but the header has ${this.names.length}`,
        this.delimiter === "\t" ? "check for missing or extra tabs on that line" : `check for missing or extra "${this.delimiter}" on that line (quote values that contain it)`,
      );
    }
    const rows = this.rows;
    if (rows === this.capacity) this.grow(this.consumed + fields.to[fields.count - 1]!);
    const numbers = this.numbers;
    for (let c = 0; c < fields.count; c++) {
      const kind = kinds[c];
      if (kind === NUMBERS) {
        const value = fieldNumber(bytes, fields, c);
        if (value !== undefined) {
          numbers[c]![rows] = value;
          continue;
        }
        numbers[c] = new Float64Array(0);
        if (rows > 0) {
          kinds[c] = RETEXT; // numbers so far: re-read this column as text in a second pass
          this.retext++;
          continue;
        }
        kinds[c] = TEXT;
      }
      if (kind !== RETEXT) texts[c]!.push(fieldOrNull(bytes, fields, c, interners[c]!));
    }
    this.rows++;
  }

  /**
   * Grows every numeric column at once, to the row count the bytes read so far predict (so 1 M rows are not
   * copied ten times over), at least doubling.
   */
  private grow(read: number): void {
    const rows = this.rows;
    const predicted = Math.ceil(((rows * this.totalBytes) / Math.max(read, 1)) * 1.02) + 1024;
    this.capacity = predicted > rows * 1.25 ? predicted : rows * 2;
    this.numbers = this.numbers.map((column, c) => {
      if (this.kinds[c] !== NUMBERS) return column;
      const grown = new Float64Array(this.capacity);
      grown.set(column);
      return grown;
    });
  }

  /**
   * Calls `record` for every complete non-blank record from `start`, with the 1-based line it starts on; returns
   * the offset where an incomplete record begins (one that reaches the end of a chunk that is not the last).
   */
  private scan(bytes: Buffer, start: number, last: boolean): number {
    const QUOTE = 34, NL = 10, CR = 13;
    const delim = this.delim;
    const n = bytes.length;
    const fields = this.fields;
    let i = start;
    while (i < n) {
      const recordStart = i;
      const recordLine = this.line;
      fields.count = 0;
      let blank = true;
      for (;;) {
        // one field
        if (bytes[i] === QUOTE) {
          blank = false;
          const from = i + 1;
          let j = from;
          for (;;) {
            if (j >= n && !last) {
              this.line = recordLine; // the value goes on in the next chunk: count its lines again then
              return recordStart;
            }
            if (j >= n) throw new SimlabError(`${this.source} line ${recordLine}: a quoted value is never closed`, 'close it with " (write "" for a quote inside a value)');
            const c = bytes[j]!;
            if (c === QUOTE) {
              if (bytes[j + 1] === QUOTE) j += 2;
              else break;
            } else {
              if (c === NL) this.line++;
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
      else if (!last) {
        // No newline yet (a closing quote or a "" escape may be the chunk's last byte too): the record may go
        // on in the next chunk, so it is parsed again from its start with that one.
        this.line = recordLine;
        return recordStart;
      }
      this.line++;
      if (!blank) this.record(bytes, fields, recordLine);
    }
    return n;
  }
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

function fieldText(bytes: Buffer, f: Fields, k: number): string {
  const text = bytes.toString("utf8", f.from[k], f.to[k]);
  return f.quoted[k] ? text.replace(/""/g, '"') : text;
}

function fieldOrNull(bytes: Buffer, f: Fields, k: number, interner: TextInterner): string | null {
  if (f.quoted[k]) return fieldText(bytes, f, k);
  return f.from[k] === f.to[k] ? null : interner.text(bytes, f.from[k]!, f.to[k]!);
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
