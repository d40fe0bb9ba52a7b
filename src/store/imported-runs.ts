import type { Stats } from "../core/contracts.js";
import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";

/** The tool_version of runs measured elsewhere and imported: saveSweep keeps their points' links. */
export const IMPORTED_VERSION = "imported";

export interface ImportedRun {
  pointId: number;
  cacheKey: string;
  workload: string;
  /** Canonical knobs JSON. */
  knobs: string;
  stats: Stats;
}

/**
 * Stores runtimes measured elsewhere as finished runs of `tool` ("native" or "native@<label>") and links
 * each point to its run, all in one transaction: on any error nothing is written. A key imported before is
 * replaced. Returns how many earlier imports were replaced.
 */
export function writeImportedRuns(db: Store, sweepId: number, tool: string, source: string, runs: readonly ImportedRun[], owner: string): number {
  return guarded(db, () =>
    db.transaction(() => {
      const now = new Date().toISOString();
      const dropOld = db.prepare("DELETE FROM runs WHERE cache_key = ? AND kind = 'point' AND status = 'ok' AND tool_version = ?");
      const insert = db.prepare(
        `INSERT INTO runs (cache_key, kind, sweep_id, workload, knobs, tool, tool_version, status, command, owner, started, finished)
         VALUES (?, 'point', ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?)`,
      );
      const stat = db.prepare("INSERT INTO statistics (run_id, name, value) VALUES (?, ?, ?)");
      const link = db.prepare("INSERT INTO point_keys (point_id, tool, cache_key) VALUES (?, ?, ?) ON CONFLICT (point_id, tool) DO UPDATE SET cache_key = excluded.cache_key");
      let replaced = 0;
      for (const run of runs) {
        replaced += dropOld.run(run.cacheKey, IMPORTED_VERSION).changes;
        const id = Number(insert.run(run.cacheKey, sweepId, run.workload, run.knobs, tool, IMPORTED_VERSION, `imported from ${source}`, owner, now, now).lastInsertRowid);
        for (const [name, value] of Object.entries(run.stats)) stat.run(id, name, value);
        link.run(run.pointId, tool, run.cacheKey);
      }
      return replaced;
    }).immediate(),
  );
}
