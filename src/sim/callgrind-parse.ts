import { SimlabError } from "../core/errors.js";

/** The header facts of a callgrind.out file: event names and the collected totals. */
export interface CallgrindSummary {
  events: string[];
  totals: number[];
}

/**
 * Reads `events:` and `summary:` (or `totals:`) from callgrind's output. With collection limited to the kernel
 * (--toggle-collect) these totals are the kernel's own counts, so the compressed per-call body is not needed.
 */
export function parseCallgrindSummary(text: string, file: string): CallgrindSummary {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(text)?.[1]?.trim();
  const eventsLine = field("events");
  if (!eventsLine) throw new SimlabError(`malformed callgrind output ${file}: no events: line`, "the file is not callgrind.out format; rerun the simulation");
  const totalsLine = field("summary") ?? field("totals");
  if (totalsLine === undefined) throw new SimlabError(`malformed callgrind output ${file}: no summary: or totals: line (truncated?)`, "rerun the simulation");
  const events = eventsLine.split(/\s+/);
  const fields = totalsLine.split(/\s+/).filter(Boolean);
  if (fields.length > events.length || fields.some((f) => !/^\d+$/.test(f))) {
    throw new SimlabError(`malformed callgrind output ${file}: summary '${totalsLine}' does not match events '${eventsLine}'`, "rerun the simulation");
  }
  return { events, totals: events.map((_, i) => Number(fields[i] ?? 0)) };
}
