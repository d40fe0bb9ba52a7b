import type { Stats } from "../core/contracts.js";

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
/** Grouped thousands, as valgrind and many tools print them: 1,234,567. */
const GROUPED = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  if (GROUPED.test(t)) return Number(t.replace(/,/g, ""));
  return undefined;
}

function flatten(value: unknown, prefix: string, into: Array<[string, number]>): void {
  if (typeof value === "number" && Number.isFinite(value)) into.push([prefix, value]);
  else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  }
}

/**
 * The numeric statistics on one line of tool output: `name=value`, `name: value` (value possibly grouped with
 * commas), or a JSON object (nested keys joined with "."). Names with spaces get underscores ("I refs" → "I_refs").
 * Returns [] when the line carries none.
 */
export function parseStatLine(line: string): Array<[string, number]> {
  const text = line.trim();
  if (text.startsWith("{")) {
    try {
      const found: Array<[string, number]> = [];
      flatten(JSON.parse(text) as unknown, "", found);
      return found;
    } catch {
      return [];
    }
  }
  const match = /^([A-Za-z_][\w.\-/ ]*?)\s*[=:]\s*(\S.*)$/.exec(text);
  if (!match) return [];
  const value = toNumber(match[2]!);
  return value === undefined ? [] : [[match[1]!.replace(/\s+/g, "_"), value]];
}

/** Every statistic in a tool's output (see `parseStatLine`); a later value of the same name wins. */
export function parseKeyValueStats(text: string): Stats {
  const stats: Stats = {};
  for (const line of text.split("\n")) for (const [name, value] of parseStatLine(line)) stats[name] = value;
  return stats;
}
