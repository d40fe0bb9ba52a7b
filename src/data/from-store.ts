import Database from "better-sqlite3";
import type { ColumnTable } from "arquero";
import { SimlabError } from "../errors.js";
import { closest } from "../magics/suggest.js";
import { preview } from "./columns.js";
import { fromRecords } from "./from-records.js";

export interface StoreOptions {
  /** Only the points of this sweep (by name). Default: every sweep in the store. */
  sweep?: string;
  /** The view or table to read. Default: the store's wide view (one row per point). */
  view?: string;
}

/** Column names that hold a point's sweep name in the wide view. */
const sweepColumns = ["sweep", "sweep_name"];

/**
 * Reads a simlab sweep store (SQLite) into a table: one row per point from the wide view (sweep, workload,
 * group, knobs, runtime_min_s, `<tool>.<stat>` columns), optionally only one sweep's points.
 */
export function fromStore(path: string, options: StoreOptions = {}): ColumnTable {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("schema_version"); // fails here when the file is not a database
  } catch (e) {
    throw new SimlabError(`${path} is not a readable SQLite database: ${e instanceof Error ? e.message : String(e)}`, "a sweep store is the .db file %sweep --store wrote");
  }
  try {
    const view = options.view ?? wideView(db, path);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(view) as { name: string }[]).map((c) => c.name);
    if (columns.length === 0) throw new SimlabError(`${path} has no table or view "${view}"`, `it has: ${preview(relations(db))}`);
    const sweepColumn = sweepColumns.find((c) => columns.includes(c));
    const quoted = `"${view.replaceAll('"', '""')}"`;
    if (options.sweep === undefined) return fromRecords(db.prepare(`SELECT * FROM ${quoted}`).all() as Record<string, unknown>[], columns);
    if (!sweepColumn) throw new SimlabError(`"${view}" in ${path} has no sweep column to select "${options.sweep}" by`, "leave out --sweep to load every point");
    const rows = db.prepare(`SELECT * FROM ${quoted} WHERE "${sweepColumn}" = ?`).all(options.sweep) as Record<string, unknown>[];
    if (rows.length === 0) {
      const sweeps = (db.prepare(`SELECT DISTINCT "${sweepColumn}" AS s FROM ${quoted}`).all() as { s: unknown }[]).map((r) => String(r.s));
      const near = closest(options.sweep, sweeps);
      throw new SimlabError(`no sweep "${options.sweep}" in ${path}`, near ? `did you mean "${near}"?` : sweeps.length ? `its sweeps: ${preview(sweeps)}` : "the store holds no points yet");
    }
    return fromRecords(rows, columns);
  } finally {
    db.close();
  }
}

function relations(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

/** The store's wide view: the view whose name mentions "wide" (the sweep engine defines it). */
function wideView(db: Database.Database, path: string): string {
  const views = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  const wide = views.find((v) => /wide/i.test(v));
  if (wide) return wide;
  throw new SimlabError(`${path} has no wide view of sweep points`, `is it a simlab sweep store? It holds: ${preview(relations(db)) || "nothing"}; pass a table or view name with --view`);
}
