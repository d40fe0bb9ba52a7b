import type { FailureReason, Stats } from "../core/contracts.js";
import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";

export type RunKind = "point" | "drift";

export interface RunClaim {
  cacheKey: string;
  kind: RunKind;
  sweepId: number;
  workload: string;
  /** Canonical knobs JSON. */
  knobs: string;
  tool: string;
  toolVersion: string | undefined;
  hostId: number;
  /** Identity of the running process ("pid:starttime"). */
  owner: string;
  /** Provenance of the binary the run uses (stored in run_builds). */
  build?: RunBuild;
}

export interface RunBuild {
  isa: string;
  /** First line of `cc --version`. */
  compiler?: string;
  flags: readonly string[];
}

export interface RunFailureRecord {
  reason: FailureReason;
  message: string;
  exitCode?: number | null;
  stderrTail?: string;
  command?: string;
  wallSeconds?: number;
  attempts: number;
}

/**
 * Cache keys among `keys` that already have a finished (ok) run, in one read transaction. When the store
 * holds no more finished runs than there are keys, it reads them all and keeps those asked for; otherwise it
 * looks each key up in the index. Either way linear, and no million-element JSON parameter.
 */
export function finishedKeys(db: Store, keys: readonly string[]): Set<string> {
  return guarded(db, () =>
    db.transaction(() => {
      const found = new Set<string>();
      const finished = db.prepare("SELECT count(*) FROM runs WHERE kind = 'point' AND status = 'ok'").pluck().get() as number;
      if (finished === 0) return found;
      if (finished <= keys.length) {
        const wanted = new Set(keys);
        for (const key of db.prepare("SELECT cache_key FROM runs WHERE kind = 'point' AND status = 'ok'").pluck().iterate() as Iterable<string>) {
          if (wanted.has(key)) found.add(key);
        }
      } else {
        const lookup = db.prepare("SELECT 1 FROM runs WHERE cache_key = ? AND kind = 'point' AND status = 'ok'").pluck();
        for (const key of keys) if (lookup.get(key) !== undefined) found.add(key);
      }
      return found;
    })(),
  );
}

/** The checksum of the finished run with this key, if there is one. */
export function finishedChecksum(db: Store, key: string): { found: boolean; checksum: string | undefined } {
  const row = guarded(db, () => db.prepare("SELECT checksum FROM runs WHERE kind = 'point' AND status = 'ok' AND cache_key = ?").get(key)) as
    | { checksum: string | null }
    | undefined;
  return { found: row !== undefined, checksum: row?.checksum ?? undefined };
}

/**
 * Marks a run as in flight. Returns its id, or undefined when the key already has a live or finished run
 * (the unique index makes this atomic across processes). A plain INSERT run to completion, not
 * `INSERT … RETURNING` through `.get()`: `.get()` stops after the returned row, so a commit that fails
 * (a full disk) would go unnoticed and hand back the id of a row that was never written.
 */
export function claimRun(db: Store, claim: RunClaim): number | undefined {
  return guarded(db, () => {
    try {
      return db.transaction(() => {
        const result = db
          .prepare(
            `INSERT INTO runs (cache_key, kind, sweep_id, workload, knobs, tool, tool_version, status, host_id, owner, started)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
          )
          .run(claim.cacheKey, claim.kind, claim.sweepId, claim.workload, claim.knobs, claim.tool, claim.toolVersion ?? null, claim.hostId, claim.owner, new Date().toISOString());
        const runId = Number(result.lastInsertRowid);
        const b = claim.build;
        if (b) db.prepare("INSERT INTO run_builds (run_id, isa, compiler, flags) VALUES (?, ?, ?, ?)").run(runId, b.isa, b.compiler ?? null, JSON.stringify(b.flags));
        return runId;
      }).immediate();
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return undefined;
      throw e;
    }
  });
}

/** Provenance of the finished run with this key: ISA, compiler, flags (undefined when none was recorded). */
export function finishedRunBuild(db: Store, cacheKey: string): RunBuild | undefined {
  return guarded(db, () => {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_builds'").get()) return undefined; // an older store, read-only
    const row = db
      .prepare("SELECT b.isa, b.compiler, b.flags FROM runs r JOIN run_builds b ON b.run_id = r.id WHERE r.cache_key = ? AND r.kind = 'point' AND r.status = 'ok'")
      .get(cacheKey) as { isa: string; compiler: string | null; flags: string | null } | undefined;
    if (!row) return undefined;
    return { isa: row.isa, ...(row.compiler === null ? {} : { compiler: row.compiler }), flags: row.flags === null ? [] : (JSON.parse(row.flags) as string[]) };
  });
}

/** Records a finished run and its statistics in one transaction. */
export function completeRun(db: Store, runId: number, result: { stats: Stats; checksum?: string; wallSeconds: number; attempts: number }): void {
  guarded(db, () => {
    const insertStat = db.prepare("INSERT INTO statistics (run_id, name, value) VALUES (?, ?, ?)");
    db.transaction(() => {
      const { changes } = db.prepare("UPDATE runs SET status = 'ok', checksum = ?, wall_seconds = ?, attempts = ?, finished = ? WHERE id = ?").run(
        result.checksum ?? null,
        result.wallSeconds,
        result.attempts,
        new Date().toISOString(),
        runId,
      );
      if (changes !== 1) throw new Error(`completeRun: run ${runId} is not in the store ${db.name}`);
      for (const [name, value] of Object.entries(result.stats)) {
        if (Number.isFinite(value)) insertStat.run(runId, name, value);
      }
    }).immediate();
  });
}

export function failRun(db: Store, runId: number, failure: RunFailureRecord): void {
  const { changes } = guarded(db, () =>
    db
      .prepare(
        `UPDATE runs SET status = 'failed', reason = ?, message = ?, exit_code = ?, stderr_tail = ?, command = ?, wall_seconds = ?, attempts = ?, finished = ?
         WHERE id = ?`,
      )
      .run(
        failure.reason,
        failure.message,
        failure.exitCode ?? null,
        failure.stderrTail ?? null,
        failure.command ?? null,
        failure.wallSeconds ?? null,
        failure.attempts,
        new Date().toISOString(),
        runId,
      ),
  );
  if (changes !== 1) throw new Error(`failRun: run ${runId} is not in the store ${db.name}`);
}

/** Forgets an in-flight run that was cancelled: it is simply missing and a later sweep runs it. */
export function releaseRun(db: Store, runId: number): void {
  guarded(db, () => db.prepare("DELETE FROM runs WHERE id = ? AND status = 'running'").run(runId));
}

/**
 * Forgets the in-flight runs of processes that no longer exist (a sweep killed with SIGKILL, a crash):
 * they are re-run by the resuming sweep. Returns how many were dropped.
 */
export function releaseRunsOfDeadOwners(db: Store, isAlive: (owner: string) => boolean): number {
  return guarded(db, () => {
    const owners = db.prepare("SELECT DISTINCT owner FROM runs WHERE status = 'running'").pluck().all() as string[];
    const dead = owners.filter((owner) => !isAlive(owner));
    const remove = db.prepare("DELETE FROM runs WHERE status = 'running' AND owner = ?");
    let removed = 0;
    db.transaction(() => {
      for (const owner of dead) removed += remove.run(owner).changes;
    }).immediate();
    return removed;
  });
}
