import { SimlabError } from "../core/errors.js";

/** A cachegrind.out file: its event names, whole-program totals and per-function counts. */
export interface CachegrindProfile {
  events: string[];
  /** The `summary:` line: whole-program counts per event. */
  totals: number[];
  /** Self counts per function name (summed over all its source lines and files). */
  functions: Map<string, number[]>;
}

function malformed(file: string, lineNo: number, what: string): SimlabError {
  return new SimlabError(`malformed cachegrind output ${file}:${lineNo}: ${what}`, "the file is not cachegrind.out format or was truncated; rerun the simulation");
}

function counts(fields: readonly string[], width: number, file: string, lineNo: number): number[] {
  if (fields.length > width) throw malformed(file, lineNo, `${fields.length} counts for ${width} events`);
  return Array.from({ length: width }, (_, i) => {
    const field = fields[i];
    if (field === undefined) return 0; // trailing zero counts may be omitted
    if (!/^\d+$/.test(field)) throw malformed(file, lineNo, `'${field}' is not a count`);
    return Number(field);
  });
}

/**
 * Parses cachegrind's output format: `events:` names the columns, `fn=` starts a function's block of
 * `<line> <count>…` rows, and `summary:` holds the totals. The rows must add up to the summary, which catches
 * truncated and corrupted files.
 */
export function parseCachegrind(text: string, file: string): CachegrindProfile {
  let events: string[] | undefined;
  let totals: number[] | undefined;
  let current: number[] | undefined;
  const functions = new Map<string, number[]>();
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === "" || /^(desc|cmd|fl|fi|fe|version|creator|positions):/.test(line) || /^(fl|fi|fe)=/.test(line)) return;
    if (line.startsWith("events:")) {
      events = line.slice("events:".length).trim().split(/\s+/).filter(Boolean);
      if (events.length === 0) throw malformed(file, lineNo, "empty events: line");
    } else if (line.startsWith("fn=")) {
      const name = line.slice(3);
      current = functions.get(name) ?? [];
      functions.set(name, current);
    } else if (line.startsWith("summary:")) {
      if (!events) throw malformed(file, lineNo, "summary: before the events: line");
      totals = counts(line.slice("summary:".length).trim().split(/\s+/), events.length, file, lineNo);
    } else if (/^\d/.test(line)) {
      if (!events) throw malformed(file, lineNo, "counts before the events: line");
      if (!current) throw malformed(file, lineNo, "counts outside a fn= block");
      const row = counts(line.split(/\s+/).slice(1), events.length, file, lineNo);
      row.forEach((c, i) => (current![i] = (current![i] ?? 0) + c));
    } else {
      throw malformed(file, lineNo, `unexpected line '${line.slice(0, 60)}'`);
    }
  });
  if (!events) throw new SimlabError(`malformed cachegrind output ${file}: no events: line`, "the file is not cachegrind.out format; rerun the simulation");
  if (!totals) throw new SimlabError(`malformed cachegrind output ${file}: no summary: line (truncated?)`, "rerun the simulation");
  const width = events.length;
  const summed = new Array<number>(width).fill(0);
  for (const row of functions.values()) for (let i = 0; i < width; i++) summed[i]! += row[i] ?? 0;
  for (const row of functions.values()) while (row.length < width) row.push(0);
  const mismatch = summed.findIndex((s, i) => s !== totals![i]);
  if (mismatch >= 0) {
    throw new SimlabError(
      `malformed cachegrind output ${file}: ${events[mismatch]} rows add up to ${summed[mismatch]} but summary says ${totals[mismatch]} (truncated?)`,
      "rerun the simulation",
    );
  }
  return { events, totals, functions };
}

/** Counts of `kernel` and of its compiler clones (kernel.constprop.0, kernel.part.1 …), or undefined if it never ran. */
export function functionCounts(profile: CachegrindProfile, kernel: string): number[] | undefined {
  let found: number[] | undefined;
  for (const [name, row] of profile.functions) {
    if (name === kernel || name.startsWith(`${kernel}.`)) found = found ? found.map((c, i) => c + row[i]!) : [...row];
  }
  return found;
}
