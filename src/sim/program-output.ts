import { parseStatLine } from "./keyvalue-parse.js";
import type { Stats } from "../core/contracts.js";

/** What a program following simlab's output protocol printed (see src/workloads/README.md). */
export interface ProgramOutput {
  /** Seconds of each timed repetition, from `rep <seconds>` lines. */
  reps: number[];
  /** From the `checksum <value>` line. */
  checksum?: string;
  /** Any other `name=value`, `name: value` or JSON-line statistics the program printed. */
  stats: Stats;
  /** Lines starting with `rep` whose value is not a non-negative number. */
  badLines: string[];
}

export function parseProgramOutput(stdout: string): ProgramOutput {
  const out: ProgramOutput = { reps: [], stats: {}, badLines: [] };
  for (const raw of stdout.split("\n")) {
    const line = raw.trim();
    const [word, value, extra] = line.split(/\s+/);
    if (word === "rep") {
      const seconds = Number(value);
      if (value !== undefined && extra === undefined && Number.isFinite(seconds) && seconds >= 0) out.reps.push(seconds);
      else out.badLines.push(line);
    } else if (word === "checksum" && value !== undefined && extra === undefined) {
      out.checksum = value;
    } else {
      for (const [name, v] of parseStatLine(line)) out.stats[name] = v;
    }
  }
  return out;
}
