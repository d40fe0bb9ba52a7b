import type { KnobValue, Knobs } from "../core/contracts.js";
import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";

export interface StoredPoint {
  workload: string;
  group: string;
  knobs: Knobs;
  /** tool name → cache key of this point's run with that tool. */
  keys: Readonly<Record<string, string>>;
}

/** JSON with sorted keys: the identity of a knob setting. */
export function canonicalKnobs(knobs: Knobs): string {
  const sorted: Record<string, KnobValue> = {};
  for (const name of Object.keys(knobs).sort()) sorted[name] = knobs[name]!;
  return JSON.stringify(sorted);
}

/**
 * Records a sweep and makes its point set exactly `points` (one transaction). Points dropped from the spec
 * leave the sweep, but their runs stay in the store under their cache keys and are reused if they come back.
 */
export function saveSweep(db: Store, name: string, spec: unknown, points: readonly StoredPoint[]): number {
  return guarded(db, () => {
    const now = new Date().toISOString();
    const upsertSweep = db.prepare(
      "INSERT INTO sweeps (name, spec, created, updated) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, updated = excluded.updated RETURNING id",
    );
    const upsertPoint = db.prepare(
      `INSERT INTO points (sweep_id, workload, grp, knobs, ord) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(sweep_id, workload, knobs) DO UPDATE SET grp = excluded.grp, ord = excluded.ord RETURNING id`,
    );
    const insertKnob = db.prepare("INSERT OR REPLACE INTO knobs (point_id, name, value, pos) VALUES (?, ?, ?, ?)");
    const deleteKeys = db.prepare("DELETE FROM point_keys WHERE point_id = ?");
    const insertKey = db.prepare("INSERT INTO point_keys (point_id, tool, cache_key) VALUES (?, ?, ?)");
    return db.transaction(() => {
      const { id: sweepId } = upsertSweep.get(name, JSON.stringify(spec), now, now) as { id: number };
      db.prepare("CREATE TEMP TABLE IF NOT EXISTS kept_points (id INTEGER PRIMARY KEY)").run();
      db.prepare("DELETE FROM temp.kept_points").run();
      const keep = db.prepare("INSERT INTO temp.kept_points (id) VALUES (?)");
      points.forEach((point, ord) => {
        const { id } = upsertPoint.get(sweepId, point.workload, point.group, canonicalKnobs(point.knobs), ord) as { id: number };
        keep.run(id);
        Object.entries(point.knobs).forEach(([knob, value], pos) => insertKnob.run(id, knob, value, pos));
        deleteKeys.run(id);
        for (const [tool, key] of Object.entries(point.keys)) insertKey.run(id, tool, key);
      });
      db.prepare("DELETE FROM points WHERE sweep_id = ? AND id NOT IN (SELECT id FROM temp.kept_points)").run(sweepId);
      return sweepId;
    }).immediate();
  });
}

export function sweepNames(db: Store): string[] {
  return guarded(db, () => db.prepare("SELECT name FROM sweeps ORDER BY id").pluck().all() as string[]);
}
