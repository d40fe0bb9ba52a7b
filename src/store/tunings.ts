import { canonicalKnobs } from "./canonical-knobs.js";
import type { Knobs } from "../core/contracts.js";
import type { Store } from "./open.js";
import { guarded } from "./sqlite-errors.js";

/** What identifies a tuning: the same workload and shape on the same ISA, host and compiler has the same winner. */
export interface TuningKey {
  workload: string;
  shape: Knobs;
  isa: string;
  hostId: number;
  compiler: string;
}

export interface StoredTuning {
  key: string;
  bestKnobs: Knobs;
  runtimeSeconds: number;
  referenceRuntimeSeconds?: number;
  /** The whole result the tuner returned, as JSON. */
  result: unknown;
  created: string;
}

/** The tuning cache's row id: the key's fields as canonical JSON (hashed by the caller if it likes). */
export function tuningKeyText(key: TuningKey): string {
  return JSON.stringify([key.workload, canonicalKnobs(key.shape), key.isa, key.hostId, key.compiler]);
}

/** Stores (replaces) the winner of a tuning. */
export function saveTuning(db: Store, key: TuningKey, tuning: Omit<StoredTuning, "key" | "created">): void {
  guarded(db, () =>
    db
      .prepare(
        `INSERT OR REPLACE INTO tunings (key, workload, shape, isa, host_id, compiler, best_knobs, runtime_s, reference_runtime_s, result, created)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(tuningKeyText(key), key.workload, canonicalKnobs(key.shape), key.isa, key.hostId, key.compiler, canonicalKnobs(tuning.bestKnobs), tuning.runtimeSeconds, tuning.referenceRuntimeSeconds ?? null, JSON.stringify(tuning.result), new Date().toISOString()),
  );
}

/** The cached winner for a key, if the store has one (a store without the tunings table has none). */
export function findTuning(db: Store, key: TuningKey): StoredTuning | undefined {
  return guarded(db, () => {
    if (!hasTunings(db)) return undefined;
    const row = db.prepare("SELECT key, best_knobs, runtime_s, reference_runtime_s, result, created FROM tunings WHERE key = ?").get(tuningKeyText(key)) as
      | { key: string; best_knobs: string; runtime_s: number; reference_runtime_s: number | null; result: string; created: string }
      | undefined;
    if (!row) return undefined;
    return {
      key: row.key,
      bestKnobs: JSON.parse(row.best_knobs) as Knobs,
      runtimeSeconds: row.runtime_s,
      ...(row.reference_runtime_s !== null ? { referenceRuntimeSeconds: row.reference_runtime_s } : {}),
      result: JSON.parse(row.result) as unknown,
      created: row.created,
    };
  });
}

/** Every tuned shape of a workload (for an error's hint: what is known). */
export function tunedShapes(db: Store, workload: string): string[] {
  return guarded(db, () => (hasTunings(db) ? (db.prepare("SELECT DISTINCT shape FROM tunings WHERE workload = ? ORDER BY shape").pluck().all(workload) as string[]) : []));
}

function hasTunings(db: Store): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tunings'").get() !== undefined;
}
