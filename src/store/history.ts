/**
 * The notebook's input history, one SQLite file per user like IPython's history.sqlite: every executed cell is a
 * (session, line, source) row, with the text/plain of its result beside it. Sessions are kernel launches; lines
 * are execution counts. The kernel writes (main thread); `%history` in the runtime reads through its own
 * connection, which WAL mode allows while the kernel writes.
 */
import type BetterSqlite3 from "better-sqlite3";
import { Database } from "./sqlite.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** One history row; `output` only when asked for (undefined: the cell had no result). */
export interface HistoryEntry {
  session: number;
  line: number;
  source: string;
  output?: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, start TEXT NOT NULL, end TEXT, num_cmds INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS history (session INTEGER NOT NULL, line INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (session, line));
CREATE INDEX IF NOT EXISTS history_source ON history (source);
CREATE TABLE IF NOT EXISTS output_history (session INTEGER NOT NULL, line INTEGER NOT NULL, output TEXT NOT NULL, PRIMARY KEY (session, line));
`;

interface Row {
  session: number;
  line: number;
  source: string;
  output: string | null;
}

/** `*` any text, `?` one character (SQLite's GLOB, as IPython's history search). */
export type GlobPattern = string;

export class HistoryStore {
  private readonly db: BetterSqlite3.Database;

  /** Opens (creating folder, file and tables) the history at `file`; `:memory:` keeps it for this process only. */
  constructor(file: string, options: { readonly?: boolean } = {}) {
    if (file !== ":memory:" && !options.readonly) mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    this.db.pragma("busy_timeout = 5000");
    if (!options.readonly) {
      this.db.pragma("journal_mode = WAL");
      // Two writes per cell on the kernel's main thread: in WAL mode NORMAL skips their fsyncs (0.8 → 0.2 ms a cell
      // here) and still never corrupts the file; a power cut (not a kernel crash) may lose the last cells' history.
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(SCHEMA);
    }
  }

  /** Starts a new session (a kernel launch) and returns its number. */
  startSession(): number {
    const info = this.db.prepare("INSERT INTO sessions (start) VALUES (?)").run(new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  endSession(session: number): void {
    this.db.prepare("UPDATE sessions SET end = ?, num_cmds = (SELECT count(*) FROM history WHERE session = ?) WHERE session = ?").run(new Date().toISOString(), session, session);
  }

  /** Stores a cell as it starts running (so `%history` inside it sees it, as in IPython). */
  addInput(session: number, line: number, source: string): void {
    this.db.prepare("INSERT OR REPLACE INTO history (session, line, source) VALUES (?, ?, ?)").run(session, line, source);
  }

  /** Stores the text/plain of a cell's result. */
  addOutput(session: number, line: number, output: string): void {
    this.db.prepare("INSERT OR REPLACE INTO output_history (session, line, output) VALUES (?, ?, ?)").run(session, line, output);
  }

  private rows(where: string, order: string, params: unknown[], output: boolean): HistoryEntry[] {
    const sql = `SELECT h.session, h.line, h.source, o.output FROM history h LEFT JOIN output_history o ON o.session = h.session AND o.line = h.line ${where} ${order}`;
    return (this.db.prepare(sql).all(...params) as Row[]).map((r) => (output ? { session: r.session, line: r.line, source: r.source, output: r.output } : { session: r.session, line: r.line, source: r.source }));
  }

  /** The last `n` cells over all sessions, oldest first. */
  tail(n: number, options: { output?: boolean } = {}): HistoryEntry[] {
    return this.rows("", "ORDER BY h.session DESC, h.line DESC LIMIT ?", [Math.max(0, n)], options.output ?? false).reverse();
  }

  /** Lines `start` ≤ line < `stop` (stop undefined: to the end) of one session, in order. */
  range(session: number, start = 1, stop?: number, options: { output?: boolean } = {}): HistoryEntry[] {
    const upper = stop === undefined ? "" : "AND h.line < ?";
    const params = stop === undefined ? [session, start] : [session, start, stop];
    return this.rows(`WHERE h.session = ? AND h.line >= ? ${upper}`, "ORDER BY h.line", params, options.output ?? false);
  }

  /**
   * Cells whose whole source matches the glob `pattern`, oldest first; with `n`, only the last n matches; with
   * `unique`, each distinct source once (its latest run).
   */
  search(pattern: GlobPattern, options: { n?: number; unique?: boolean; output?: boolean } = {}): HistoryEntry[] {
    const limit = options.n === undefined || options.n <= 0 ? "" : `LIMIT ${Math.floor(options.n)}`;
    const where = options.unique
      ? "WHERE h.source GLOB ? AND NOT EXISTS (SELECT 1 FROM history later WHERE later.source = h.source AND (later.session > h.session OR (later.session = h.session AND later.line > h.line)))"
      : "WHERE h.source GLOB ?";
    return this.rows(where, `ORDER BY h.session DESC, h.line DESC ${limit}`, [pattern], options.output ?? false).reverse();
  }

  close(): void {
    this.db.close();
  }
}
