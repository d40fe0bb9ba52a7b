import type { Stats } from "../core/contracts.js";
import type { Store } from "./open.js";

/** The finished (ok) point runs among `keys`: cache key → run id and statistics. */
export function finishedRunStats(db: Store, keys: readonly string[]): Map<string, { runId: number; stats: Stats }> {
  const rows = db
    .prepare(
      `SELECT r.cache_key AS key, r.id AS runId, st.name, st.value FROM runs r JOIN statistics st ON st.run_id = r.id
       WHERE r.kind = 'point' AND r.status = 'ok' AND r.cache_key IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(keys)) as Array<{ key: string; runId: number; name: string; value: number }>;
  const out = new Map<string, { runId: number; stats: Stats }>();
  for (const row of rows) {
    const entry = out.get(row.key) ?? out.set(row.key, { runId: row.runId, stats: {} }).get(row.key)!;
    entry.stats[row.name] = row.value;
  }
  return out;
}

/** Sets (adds or replaces) statistics of a finished run, e.g. a confirmed runtime_min_s. */
export function amendRunStats(db: Store, runId: number, stats: Stats): void {
  const upsert = db.prepare("INSERT INTO statistics (run_id, name, value) VALUES (?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value");
  db.transaction(() => {
    for (const [name, value] of Object.entries(stats)) if (Number.isFinite(value)) upsert.run(runId, name, value);
  }).immediate();
}
