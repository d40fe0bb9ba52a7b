import type { Knobs } from "../core/contracts.js";
import { BatchInsert } from "./batch-insert.js";
import { KnobCanonicalizer } from "./canonical-knobs.js";
import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";
import { IMPORTED_VERSION } from "./imported-runs.js";

export { canonicalKnobs, KnobCanonicalizer } from "./canonical-knobs.js";

export interface StoredPoint {
  workload: string;
  group: string;
  knobs: Knobs;
  /** tool name → cache key of this point's run with that tool. */
  keys: Readonly<Record<string, string>>;
}

/**
 * Records a sweep and makes its point set exactly `points` (one transaction). Points dropped from the spec
 * leave the sweep, but their runs stay in the store under their cache keys and are reused if they come back.
 * Points the sweep already had keep their ids; their knobs and keys are rewritten. Rows go in with multi-row
 * INSERTs and the sweep's old knob and key rows leave in one DELETE each, so a million points take seconds.
 */
export function saveSweep(db: Store, name: string, spec: unknown, points: readonly StoredPoint[]): number {
  return guarded(db, () => {
    const now = new Date().toISOString();
    const upsertSweep = db.prepare(
      "INSERT INTO sweeps (name, spec, created, updated) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, updated = excluded.updated RETURNING id",
    );
    return db.transaction(() => {
      const { id: sweepId } = upsertSweep.get(name, JSON.stringify(spec), now, now) as { id: number };
      // Knob and key rows are written in batches that may precede their point's: foreign keys are checked at commit.
      db.pragma("defer_foreign_keys = ON");
      const existing = new Map<string, { id: number; grp: string; ord: number }>();
      for (const row of db.prepare("SELECT id, workload, grp, knobs, ord FROM points WHERE sweep_id = ?").iterate(sweepId) as Iterable<{ id: number; workload: string; grp: string; knobs: string; ord: number }>) {
        existing.set(`${row.workload}\t${row.knobs}`, row);
      }
      if (existing.size > 0) {
        db.prepare("DELETE FROM knobs WHERE point_id IN (SELECT id FROM points WHERE sweep_id = ?)").run(sweepId);
        // Runtimes imported from elsewhere (import-runtimes) stay linked, unless the spec now runs that tool itself.
        const tools = new Set<string>();
        for (const point of points) for (const tool in point.keys) tools.add(tool);
        db.prepare(
          `DELETE FROM point_keys WHERE point_id IN (SELECT id FROM points WHERE sweep_id = ?)
           AND (tool IN (SELECT value FROM json_each(?)) OR cache_key NOT IN (SELECT cache_key FROM runs WHERE tool_version = ? AND kind = 'point' AND status = 'ok'))`,
        ).run(sweepId, JSON.stringify([...tools]), IMPORTED_VERSION);
      }
      const updatePoint = db.prepare("UPDATE points SET grp = ?, ord = ? WHERE id = ?");
      const newPoints = new BatchInsert(db, "points", ["id", "sweep_id", "workload", "grp", "knobs", "ord"]);
      const knobRows = new BatchInsert(db, "knobs", ["point_id", "name", "value", "pos"]);
      const keyRows = new BatchInsert(db, "point_keys", ["point_id", "tool", "cache_key"]);
      let nextId = ((db.prepare("SELECT max(id) FROM points").pluck().get() as number | null) ?? 0) + 1;
      const canonical = new KnobCanonicalizer();
      points.forEach((point, ord) => {
        const knobs = canonical.text(point.knobs);
        const identity = `${point.workload}\t${knobs}`;
        const old = existing.get(identity);
        let id: number;
        if (old) {
          existing.delete(identity);
          id = old.id;
          if (old.grp !== point.group || old.ord !== ord) updatePoint.run(point.group, ord, id);
        } else {
          id = nextId++;
          newPoints.add(id, sweepId, point.workload, point.group, knobs, ord);
        }
        let pos = 0;
        for (const knob in point.knobs) knobRows.add(id, knob, point.knobs[knob], pos++);
        for (const tool in point.keys) keyRows.add(id, tool, point.keys[tool]);
      });
      newPoints.flush();
      knobRows.flush();
      keyRows.flush();
      const dropPoint = db.prepare("DELETE FROM points WHERE id = ?");
      for (const gone of existing.values()) dropPoint.run(gone.id);
      return sweepId;
    }).immediate();
  });
}

export function sweepNames(db: Store): string[] {
  return guarded(db, () => db.prepare("SELECT name FROM sweeps ORDER BY id").pluck().all() as string[]);
}
