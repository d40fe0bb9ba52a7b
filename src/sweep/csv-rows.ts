import { SimlabError } from "../core/errors.js";

/** A CSV record with the line it starts on (1-based, the header is line 1). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * Splits CSV text (RFC 4180: commas, "quoted" cells with "" for a quote, CRLF or LF) into its header and
 * records, keeping each record's line number so that errors can name it. Blank lines are skipped.
 */
export function parseCsvRows(text: string, origin: string): { header: string[]; rows: CsvRow[] } {
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = () => {
    if (touched || cells.length > 0) records.push({ line: start, cells: [...cells, cell] });
    cells = [];
    cell = "";
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"') (quoted = true), (touched = true);
    else if (c === ",") cells.push(cell), (cell = ""), (touched = true);
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      start = ++line;
    } else (cell += c), (touched = true);
  }
  if (quoted) throw new SimlabError(`${origin}:${start}: a quoted cell is never closed`, 'close it with "');
  endRecord();
  const [header, ...rows] = records;
  if (!header) throw new SimlabError(`${origin}: the file is empty`, "expected a header line, e.g. point,runtime_min_s");
  return { header: header.cells.map((h) => h.trim()), rows };
}
