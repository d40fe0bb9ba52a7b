import { SimlabError } from "../core/errors.js";
import type { Store } from "./open.js";
import { sweepNames } from "./sweeps.js";

/**
 * The wide view `points_wide`: one row per point — sweep, point, workload, group, one column per knob, the
 * measured runtime (native's statistics: runtime_min_s, runtime_median_s, runtime_cv, ...), one
 * `<tool>.<statistic>` column per statistic of each simulator's finished run, then `status` ("ok" when every tool
 * has a finished run, else "failed" or "missing") and `failures` ("cachegrind: timeout; ..."). SQL cannot
 * pivot by data, so the view is regenerated whenever the store gains a knob or statistic name
 * (`refreshWideView`); any SQLite client can read it.
 */
export const WIDE_VIEW = "points_wide";

export type Cell = number | string | null;

export interface WideColumns {
  names: string[];
  columns: Record<string, Cell[]>;
  rowCount: number;
}

function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Host measurement's statistics are the measured runtime: plain columns (runtime_min_s); a simulator's are `<tool>.<stat>`. */
export function statColumn(tool: string, stat: string): string {
  return tool === "native" ? stat : `${tool}.${stat}`;
}

function wideSelect(knobNames: readonly string[], tools: readonly string[], statsByTool: ReadonlyMap<string, readonly string[]>): string {
  const okRun = (tool: string) =>
    `(SELECT r.id FROM point_keys pk JOIN runs r ON r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok'
      WHERE pk.point_id = p.id AND pk.tool = ${quoteText(tool)}) AS ${quoteId(`run:${tool}`)}`;
  const knobColumns = knobNames.map(
    (k) => `(SELECT value FROM knobs WHERE point_id = t.point AND name = ${quoteText(k)}) AS ${quoteId(k)}`,
  );
  const statColumns = tools.flatMap((tool) =>
    (statsByTool.get(tool) ?? []).map(
      (stat) => `(SELECT value FROM statistics WHERE run_id = t.${quoteId(`run:${tool}`)} AND name = ${quoteText(stat)}) AS ${quoteId(statColumn(tool, stat))}`,
    ),
  );
  const lastFailure = `(SELECT r.reason FROM runs r WHERE r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'failed' ORDER BY r.id DESC LIMIT 1)`;
  const open = `NOT EXISTS (SELECT 1 FROM runs r WHERE r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok')`;
  return `WITH t AS MATERIALIZED (
  SELECT s.id AS sweep_id, s.name AS sweep, p.id AS point, p.workload, p.grp, p.ord${tools.map((tool) => `,\n    ${okRun(tool)}`).join("")},
    (SELECT group_concat(pk.tool || ': ' || coalesce(${lastFailure}, 'missing'), '; ') FROM point_keys pk WHERE pk.point_id = p.id AND ${open}) AS failures,
    (SELECT count(*) FROM point_keys pk WHERE pk.point_id = p.id AND ${open} AND ${lastFailure} IS NOT NULL) AS failed_tools
  FROM points p JOIN sweeps s ON s.id = p.sweep_id
)
SELECT t.sweep, t.point, t.workload, t.grp AS "group"${[...knobColumns, ...statColumns].map((c) => `,\n  ${c}`).join("")},
  CASE WHEN t.failures IS NULL THEN 'ok' WHEN t.failed_tools > 0 THEN 'failed' ELSE 'missing' END AS status,
  t.failures
FROM t ORDER BY t.sweep_id, t.ord`;
}

/** The SELECT behind the wide view, with every knob and statistic name the store holds now. */
function currentWideSelect(db: Store): string {
  const knobNames = db.prepare("SELECT name FROM knobs k JOIN points p ON p.id = k.point_id GROUP BY name ORDER BY min(p.sweep_id), min(p.ord), min(k.pos), name").pluck().all() as string[];
  const pairs = db
    .prepare(
      `SELECT DISTINCT pk.tool, st.name FROM point_keys pk
       JOIN runs r ON r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok'
       JOIN statistics st ON st.run_id = r.id`,
    )
    .raw()
    .all() as [string, string][];
  const tools = [...new Set((db.prepare("SELECT DISTINCT tool FROM point_keys").pluck().all() as string[]))].sort(
    (a, b) => Number(b === "native") - Number(a === "native") || a.localeCompare(b),
  );
  const statsByTool = new Map<string, string[]>();
  for (const [tool, stat] of pairs) (statsByTool.get(tool) ?? statsByTool.set(tool, []).get(tool)!).push(stat);
  for (const stats of statsByTool.values()) stats.sort();
  return wideSelect(knobNames, tools, statsByTool);
}

/**
 * Recreates the wide view with every knob and statistic name the store holds. Skipped when nothing new
 * appeared (unless `force`). Returns whether it was recreated.
 */
export function refreshWideView(db: Store, force = false): boolean {
  const sql = `CREATE VIEW ${WIDE_VIEW} AS\n${currentWideSelect(db)}`;
  const existing = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?").pluck().get(WIDE_VIEW) as string | undefined;
  if (!force && existing === sql) return false;
  db.transaction(() => {
    db.exec(`DROP VIEW IF EXISTS ${WIDE_VIEW}`);
    db.exec(sql);
  }).immediate();
  return true;
}

/**
 * Reads the wide table, optionally for one sweep, as columns. It runs the view's query as the store stands
 * now rather than the stored view, so a reader (even read-only) sees statistics that appeared after the
 * view was last regenerated, e.g. while a sweep is still running.
 */
export function wideColumns(db: Store, sweep?: string): WideColumns {
  if (sweep !== undefined && db.prepare("SELECT 1 FROM sweeps WHERE name = ?").get(sweep) === undefined) {
    const names = sweepNames(db);
    throw new SimlabError(`no sweep named '${sweep}' in the store`, names.length ? `sweeps in it: ${names.join(", ")}` : "the store has no sweeps yet");
  }
  const statement = db.prepare(`SELECT * FROM (${currentWideSelect(db)})${sweep === undefined ? "" : " WHERE sweep = ?"}`);
  const names = statement.columns().map((c) => c.name);
  const rows = (sweep === undefined ? statement.raw().all() : statement.raw().all(sweep)) as Cell[][];
  const columns: Record<string, Cell[]> = {};
  names.forEach((name, i) => (columns[name] = rows.map((row) => row[i] ?? null)));
  return { names, columns, rowCount: rows.length };
}
