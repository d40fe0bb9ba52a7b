import type { FailureReason, Stats } from "../core/contracts.js";
import type { Store } from "./open.js";
import { guarded } from "./sqlite-errors.js";

/** What the store knows of one cache key: its finished run, its latest failure, or nothing. */
export type RunResult = { status: "ok"; stats: Stats; checksum?: string } | { status: "failed"; reason: FailureReason; message: string };

/**
 * The results of point runs by cache key, read only (a tuner's lookups and replays): a finished run wins over
 * failures; of several failures the latest is reported. Keys the store has never run are absent.
 */
export function runResults(db: Store, keys: readonly string[]): Map<string, RunResult> {
  return guarded(db, () => {
    const out = new Map<string, RunResult>();
    const wanted = JSON.stringify([...new Set(keys)]);
    const ok = db
      .prepare(
        `SELECT r.cache_key AS key, r.checksum, st.name, st.value FROM runs r LEFT JOIN statistics st ON st.run_id = r.id
         WHERE r.kind = 'point' AND r.status = 'ok' AND r.cache_key IN (SELECT value FROM json_each(?))`,
      )
      .all(wanted) as Array<{ key: string; checksum: string | null; name: string | null; value: number | null }>;
    for (const row of ok) {
      let entry = out.get(row.key) as Extract<RunResult, { status: "ok" }> | undefined;
      if (!entry) out.set(row.key, (entry = { status: "ok", stats: {}, ...(row.checksum !== null ? { checksum: row.checksum } : {}) }));
      if (row.name !== null && row.value !== null) entry.stats[row.name] = row.value;
    }
    const failed = db
      .prepare(
        `SELECT cache_key AS key, reason, message FROM runs WHERE kind = 'point' AND status = 'failed'
         AND cache_key IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(wanted) as Array<{ key: string; reason: string | null; message: string | null }>;
    for (const row of failed) {
      if (out.get(row.key)?.status === "ok") continue;
      out.set(row.key, { status: "failed", reason: (row.reason ?? "crash") as FailureReason, message: row.message ?? "" });
    }
    return out;
  });
}
