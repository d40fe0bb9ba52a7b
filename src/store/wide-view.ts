import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";
import { statColumn, toolOrder } from "./wide.js";

/**
 * The SQL view `points_wide`: the wide table of wide.ts (one row per point of every sweep, knobs, measured
 * runtime, `<tool>.<statistic>` columns, status, failures) for any SQLite client. SQL cannot pivot by data,
 * so the view is regenerated whenever the store gains a knob or statistic name (`refreshWideView`).
 * SQLite refuses to read a view of more than 2,000 columns; when the store's statistics would exceed that,
 * `points_wide` leaves the statistics out (knobs, status and failures only) — they stay readable long in
 * the view `point_statistics`, and wide through `simlab results` / `wideColumns`, which pivot in JS.
 * simlab itself never reads this view.
 */
export const WIDE_VIEW = "points_wide";

function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
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

/** The SELECT behind the wide view, with every knob and (unless `withStatistics` is false) statistic name the store holds now. */
function currentWideSelect(db: Store, withStatistics: boolean): string {
  const knobNames = db.prepare("SELECT name FROM knobs k JOIN points p ON p.id = k.point_id GROUP BY name ORDER BY min(p.sweep_id), min(p.ord), min(k.pos), name").pluck().all() as string[];
  const pairs = db
    .prepare(
      `SELECT DISTINCT pk.tool, st.name FROM point_keys pk
       JOIN runs r ON r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok'
       JOIN statistics st ON st.run_id = r.id`,
    )
    .raw()
    .all() as [string, string][];
  const tools = (db.prepare("SELECT DISTINCT tool FROM point_keys").pluck().all() as string[]).sort(toolOrder);
  const statsByTool = new Map<string, string[]>();
  for (const [tool, stat] of pairs) (statsByTool.get(tool) ?? statsByTool.set(tool, []).get(tool)!).push(stat);
  for (const stats of statsByTool.values()) stats.sort();
  return wideSelect(knobNames, tools, withStatistics ? statsByTool : new Map());
}

/**
 * Recreates the wide view with every knob and statistic name the store holds (without the statistics when
 * they would not fit SQLite's column limit). Skipped when nothing new appeared (unless `force`). Returns
 * whether it was recreated.
 */
export function refreshWideView(db: Store, force = false): boolean {
  return guarded(db, () => {
    const existing = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?").pluck().get(WIDE_VIEW) as string | undefined;
    const full = `CREATE VIEW ${WIDE_VIEW} AS\n${currentWideSelect(db, true)}`;
    if (!force && existing === full) return false;
    const narrow = `CREATE VIEW ${WIDE_VIEW} AS\n${currentWideSelect(db, false)}`;
    if (!force && existing === narrow && !fits(db, full)) return false;
    db.transaction(() => {
      db.exec(`DROP VIEW IF EXISTS ${WIDE_VIEW}`);
      db.exec(fits(db, full) ? full : narrow);
    }).immediate();
    return true;
  });
}

/** Whether SQLite can read the view that `create` defines (the column limit is checked on reading, not on CREATE VIEW). */
function fits(db: Store, create: string): boolean {
  try {
    db.prepare(create.replace(/^CREATE VIEW \S+ AS\n/, ""));
    return true;
  } catch (e) {
    if (/too many columns/.test((e as Error).message)) return false;
    throw e;
  }
}
