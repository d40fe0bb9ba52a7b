import { Database } from "../store/sqlite.js";
import type BetterSqlite3 from "better-sqlite3";
import { table, type ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { storeError } from "../store/sqlite-errors.js";
import { openStore, wideColumns, type Store } from "../store/index.js";
import { closest } from "../core/suggest.js";
import { preview } from "./columns.js";
import { fromRecords } from "./from-records.js";

export interface StoreOptions {
  /** Only the points of this sweep (by name). Default: every sweep in the store. */
  sweep?: string;
  /** Read this table or view of any SQLite file instead of a sweep store's wide view. */
  view?: string;
}

/**
 * Reads a simlab sweep store (SQLite) into a table: one row per point from the store's wide table
 * (sweep, point, workload, group, knobs, runtime_min_s, `<tool>.<stat>` columns, status), through
 * `wideTable`. With `view`, reads that table or view of any SQLite file instead.
 */
export function fromStore(path: string, options: StoreOptions = {}): ColumnTable {
  return options.view === undefined ? wideTable(path, options.sweep) : fromSqliteRelation(path, options.view, options.sweep);
}

/**
 * The store's wide table as an arquero table: one row per point (sweep, point, workload, group, knobs,
 * runtime_min_s / runtime_median_s / runtime_cv from host measurement, `<tool>.<stat>` per simulator,
 * status, failures). `db` is a store path (opened read-only) or an open store.
 */
export function wideTable(db: string | Store, sweep?: string): ColumnTable {
  const store = typeof db === "string" ? openStore(db, { readonly: true }) : db;
  try {
    const { names, columns } = wideColumns(store, sweep);
    return table(columns, names);
  } finally {
    if (typeof db === "string") store.close();
  }
}

/** Every row of one table or view (optionally where its `sweep` column equals `sweep`). */
function fromSqliteRelation(path: string, view: string, sweep?: string): ColumnTable {
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("schema_version"); // fails here when the file is not a database
  } catch (e) {
    throw new SimlabError(`${path} is not a readable SQLite database: ${e instanceof Error ? e.message : String(e)}`, "check the file name");
  }
  try {
    const relations = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").pluck().all() as string[]);
    if (!relations.includes(view)) {
      const near = closest(view, relations);
      throw new SimlabError(`${path} has no table or view "${view}"`, near ? `did you mean "${near}"?` : `it has: ${preview(relations) || "nothing"}`);
    }
    const statement = db.prepare(`SELECT * FROM "${view.replaceAll('"', '""')}"${sweep === undefined ? "" : " WHERE sweep = ?"}`);
    const names = statement.columns().map((c) => c.name);
    if (sweep !== undefined && !names.includes("sweep")) throw new SimlabError(`"${view}" in ${path} has no sweep column to select "${sweep}" by`, "leave out --sweep to load every row");
    const rows = (sweep === undefined ? statement.all() : statement.all(sweep)) as Record<string, unknown>[];
    return fromRecords(rows, names);
  } catch (e) {
    throw storeError(e, path);
  } finally {
    db.close();
  }
}
