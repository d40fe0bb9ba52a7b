import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { JobRecord } from "./submit.js";
import type { SlurmWorkdir } from "./workdir.js";

/**
 * The job arrays earlier drivers of this sweep submitted (jobs/*.json), so a driver killed and restarted waits
 * for their tasks instead of submitting the same runs again. Unreadable records are skipped: their runs are
 * then simply submitted again (a duplicate run, never a duplicate result: the store keeps one per key).
 */
export function submittedArrays(dir: SlurmWorkdir): JobRecord[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir.jobs).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const records: JobRecord[] = [];
  for (const name of names) {
    try {
      const record = JSON.parse(readFileSync(join(dir.jobs, name), "utf8")) as JobRecord;
      if (typeof record.jobId === "string" && Array.isArray(record.tasks)) records.push(record);
    } catch {
      // A record being written by another driver, or damaged: see above.
    }
  }
  return records;
}
