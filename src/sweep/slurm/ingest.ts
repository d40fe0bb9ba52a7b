import { readdirSync, readFileSync, rmSync } from "node:fs";
import { decodeOutcome, type TaskResult } from "./chunk.js";
import type { Outcome } from "../outcome.js";
import type { SlurmWorkdir } from "./workdir.js";

/** Run keys with a result file in the work directory (tasks rename finished files in, so each is whole). */
export function resultKeys(dir: SlurmWorkdir): Set<string> {
  try {
    return new Set(readdirSync(dir.results).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -".json".length)));
  } catch {
    return new Set();
  }
}

/** A run's outcome from its result file, with the node it ran on; undefined if the file is unreadable. */
export function readResult(dir: SlurmWorkdir, key: string): { outcome: Outcome; host: string } | undefined {
  try {
    const result = JSON.parse(readFileSync(dir.resultFile(key), "utf8")) as TaskResult;
    if (result.key !== key) return undefined;
    return { outcome: decodeOutcome(result.outcome), host: result.host };
  } catch {
    return undefined;
  }
}

export function removeResult(dir: SlurmWorkdir, key: string): void {
  rmSync(dir.resultFile(key), { force: true });
}
