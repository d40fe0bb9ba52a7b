import type { FailedRun } from "./record.js";

/**
 * Tools every one of whose failures is "unavailable" (a board that cannot be reached, or is not the declared
 * ISA), each with its shortest message: one line says it all, instead of one line per run.
 */
export function unavailableTools(failures: readonly FailedRun[]): Map<string, string> {
  const found = new Map<string, string>();
  const other = new Set(failures.filter((f) => f.reason !== "unavailable").map((f) => f.tool));
  for (const f of failures) {
    if (f.reason !== "unavailable" || other.has(f.tool)) continue;
    const shortest = found.get(f.tool);
    if (shortest === undefined || f.message.length < shortest.length) found.set(f.tool, f.message.split("\n")[0]!);
  }
  return found;
}
