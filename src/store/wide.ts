import { SimlabError } from "../core/errors.js";
import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";
import { sweepNames } from "./sweeps.js";

/**
 * The wide table: one row per point — sweep, point, workload, group, one column per knob, the measured
 * runtime (native's statistics: runtime_min_s, runtime_median_s, runtime_cv, ...), one `<tool>.<statistic>`
 * column per statistic of each simulator's finished run, then `status` ("ok" when every tool has a finished
 * run, else "failed" or "missing") and `failures` ("cachegrind: timeout; ...").
 *
 * It is pivoted here, in JS, from the store's long tables, not by one wide SQL query: SQLite refuses a result
 * set of more than 2,000 columns, so one run that prints thousands of statistics would otherwise make every
 * sweep unreadable. The columns are those of the sweeps read (one sweep: its own knobs and statistics only).
 * The SQL view `points_wide` (wide-view.ts) is the same table for other SQLite clients, while it fits.
 */
export type Cell = number | string | null;

export interface WideColumns {
  names: string[];
  columns: Record<string, Cell[]>;
  rowCount: number;
}

/**
 * Native measurement's statistics are the measured runtime: plain columns (runtime_min_s), and runtimes imported
 * for a named target `native@<label>` are `runtime_min_s@<label>`; a simulator's are `<tool>.<stat>`.
 */
export function statColumn(tool: string, stat: string): string {
  if (tool === "native") return stat;
  return tool.startsWith("native@") ? `${stat}@${tool.slice("native@".length)}` : `${tool}.${stat}`;
}

/** Native first (the measured runtime), then imported targets' runtimes, then the simulators, by name. */
export function toolOrder(a: string, b: string): number {
  const rank = (t: string) => (t === "native" ? 0 : t.startsWith("native@") ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** `WHERE` for the points of one sweep (parameter `$sweep`, an id) or of all (`$sweep` null). */
const ofSweep = "($sweep IS NULL OR p.sweep_id = $sweep)";

/**
 * Reads the wide table, optionally for one sweep, as columns. It reads the store as it stands now, so a
 * reader (even read-only) sees statistics that appeared a moment ago, e.g. while a sweep is still running.
 */
export function wideColumns(db: Store, sweep?: string): WideColumns {
  return guarded(db, () => {
    let sweepId: number | null = null;
    if (sweep !== undefined) {
      sweepId = (db.prepare("SELECT id FROM sweeps WHERE name = ?").pluck().get(sweep) as number | undefined) ?? null;
      if (sweepId === null) {
        const names = sweepNames(db);
        throw new SimlabError(`no sweep named '${sweep}' in the store`, names.length ? `sweeps in it: ${names.join(", ")}` : "the store has no sweeps yet");
      }
    }
    return db.transaction(() => pivot(db, { sweep: sweepId }))(); // one snapshot of the store
  });
}

function pivot(db: Store, params: { sweep: number | null }): WideColumns {
  const points = db
    .prepare(`SELECT p.id, s.name, p.workload, p.grp FROM points p JOIN sweeps s ON s.id = p.sweep_id WHERE ${ofSweep} ORDER BY p.sweep_id, p.ord`)
    .raw()
    .all(params) as [number, string, string, string][];
  const rowOf = new Map(points.map(([id], row) => [id, row]));
  const n = points.length;
  const knobNames = db
    .prepare(`SELECT k.name FROM knobs k JOIN points p ON p.id = k.point_id WHERE ${ofSweep} GROUP BY k.name ORDER BY min(p.sweep_id), min(p.ord), min(k.pos), k.name`)
    .pluck()
    .all(params) as string[];
  // Each point's key per tool: its finished run, or the reason of the key's last failure.
  const keys = db
    .prepare(
      `SELECT pk.point_id, pk.tool,
         (SELECT r.id FROM runs r WHERE r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok') AS ok_run,
         (SELECT r.reason FROM runs r WHERE r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'failed' ORDER BY r.id DESC LIMIT 1) AS failure
       FROM point_keys pk JOIN points p ON p.id = pk.point_id WHERE ${ofSweep} ORDER BY pk.point_id, pk.tool`,
    )
    .raw()
    .all(params) as [number, string, number | null, string | null][];
  const runsOf = new Map<number, { row: number; tool: string }[]>();
  const failures: (string[] | undefined)[] = new Array(n);
  const failedTools = new Uint32Array(n);
  for (const [point, tool, okRun, failure] of keys) {
    const row = rowOf.get(point)!;
    if (okRun !== null) (runsOf.get(okRun) ?? runsOf.set(okRun, []).get(okRun)!).push({ row, tool });
    else {
      (failures[row] ??= []).push(`${tool}: ${failure ?? "missing"}`);
      if (failure !== null) failedTools[row]!++;
    }
  }

  const columns: Record<string, Cell[]> = {};
  const column = (name: string): Cell[] => (columns[name] ??= new Array<Cell>(n).fill(null));
  const [sweeps, ids, workloads, groups] = [column("sweep"), column("point"), column("workload"), column("group")];
  points.forEach(([id, sweepName, workload, group], row) => {
    sweeps[row] = sweepName;
    ids[row] = id;
    workloads[row] = workload;
    groups[row] = group;
  });
  for (const name of knobNames) column(name);
  for (const [point, name, value] of db
    .prepare(`SELECT k.point_id, k.name, k.value FROM knobs k JOIN points p ON p.id = k.point_id WHERE ${ofSweep}`)
    .raw()
    .iterate(params) as IterableIterator<[number, string, Cell]>) {
    columns[name]![rowOf.get(point)!] = value;
  }

  // Statistics, long, of every finished run the points use; a run shared by several points fills each.
  const statNames = new Map<string, Set<string>>();
  for (const [run, name, value] of db
    .prepare(
      `SELECT st.run_id, st.name, st.value FROM statistics st WHERE st.run_id IN (
         SELECT r.id FROM point_keys pk JOIN points p ON p.id = pk.point_id
         JOIN runs r ON r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok' WHERE ${ofSweep})`,
    )
    .raw()
    .iterate(params) as IterableIterator<[number, string, number]>) {
    for (const { row, tool } of runsOf.get(run)!) {
      (statNames.get(tool) ?? statNames.set(tool, new Set()).get(tool)!).add(name);
      column(statColumn(tool, name))[row] = value;
    }
  }
  const statColumns = [...statNames.keys()].sort(toolOrder).flatMap((tool) => [...statNames.get(tool)!].sort().map((stat) => statColumn(tool, stat)));

  const status = column("status");
  const failureText = column("failures");
  for (let row = 0; row < n; row++) {
    const list = failures[row];
    status[row] = list === undefined ? "ok" : failedTools[row]! > 0 ? "failed" : "missing";
    failureText[row] = list === undefined ? null : list.join("; ");
  }
  const names = ["sweep", "point", "workload", "group", ...knobNames, ...statColumns, "status", "failures"];
  return { names, columns, rowCount: n };
}
