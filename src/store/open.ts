import { Database } from "./sqlite.js";
import { existsSync } from "node:fs";
import { SimlabError } from "../core/errors.js";
import { MIGRATIONS, RUN_BUILDS_SQL, SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";
import { storeError } from "./sqlite-errors.js";
import type { Store } from "./store.js";
import { refreshWideView } from "./wide-view.js";

export type { Store } from "./store.js";


export interface OpenStoreOptions {
  /** Open for reading only (no schema is created; the file must exist). */
  readonly?: boolean;
}

/**
 * Opens (creating when needed) a simlab store: SQLite in WAL mode with a busy timeout, so other processes
 * can read while a sweep writes. A file that is not SQLite, or was written by a newer simlab, is a SimlabError;
 * so is every SQLite failure about the file (damaged, read-only, full, locked: see sqlite-errors.ts). A store
 * opened for writing is checked to be writable here, before a sweep starts any work.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  if (options.readonly && !existsSync(path)) {
    throw new SimlabError(`no store at ${path}`, "run a sweep first (`simlab sweep SPEC --db FILE`) or check the --db path");
  }
  let db: Store;
  try {
    db = new Database(path, { readonly: options.readonly ?? false });
  } catch (e) {
    const error = storeError(e, path);
    throw error instanceof SimlabError ? error : new SimlabError(`cannot open store ${path}: ${(e as Error).message}`, "check that the folder exists and is writable");
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new SimlabError(
        `store ${path} has schema version ${version}, newer than this simlab understands (${SCHEMA_VERSION})`,
        "upgrade simlab, or use another --db file",
      );
    }
    if (!options.readonly) {
      retryWhileBusy(() => {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = NORMAL");
        db.pragma("foreign_keys = ON");
        // Up to 256 MiB of page cache (grown only as used): saving a million points' index entries then stays in memory.
        db.pragma("cache_size = -262144");
        if (version === 0) createSchema(db, path);
        else if (version < SCHEMA_VERSION) migrate(db);
        checkWritable(db);
        // A store from before run provenance gains its table (looked up first: no write lock when it is there).
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_builds'").get()) db.exec(RUN_BUILDS_SQL);
      });
    } else if (version === 0) {
      throw new SimlabError(`${path} is not a simlab store (it has no simlab tables)`, "point --db at a file written by `simlab sweep`");
    }
    return db;
  } catch (e) {
    db.close();
    if (e instanceof SimlabError) throw e;
    const code = (e as { code?: string }).code;
    if (code === "SQLITE_NOTADB") {
      throw new SimlabError(`${path} is not a SQLite database (or it is corrupt)`, "point --db at a simlab store, or at a new file name");
    }
    throw storeError(e, path);
  }
}

const BUSY_TIMEOUT_MS = 10_000;

/**
 * Two processes opening a new store at once can deadlock on switching it to WAL (each holds a read lock and wants
 * the write lock): SQLite then answers SQLITE_BUSY to one at once, without waiting out the busy timeout. That one
 * tries again (every step here is idempotent) until the busy timeout has passed.
 */
function retryWhileBusy(setUp: () => void): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      setUp();
      return;
    } catch (e) {
      const busy = (e as { code?: string }).code?.startsWith("SQLITE_BUSY") === true;
      if (!busy || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 30);
    }
  }
}

/**
 * SQLite opens a read-only file for writing without complaint, and in WAL mode even takes the write lock;
 * only a write says SQLITE_READONLY. Rewrite the schema version inside a transaction that is rolled back.
 */
function checkWritable(db: Store): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  db.exec("BEGIN IMMEDIATE");
  try {
    db.pragma(`user_version = ${version}`);
  } finally {
    db.exec("ROLLBACK");
  }
}

function createSchema(db: Store, path: string): void {
  db.transaction(() => {
    // Re-checked inside the write lock: another process may have created the schema meanwhile.
    if ((db.pragma("user_version", { simple: true }) as number) !== 0) return;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) {
      throw new SimlabError(`${path} is a SQLite database but not a simlab store`, "point --db at a simlab store, or at a new file name");
    }
    db.exec(SCHEMA_SQL);
    db.exec(RUN_BUILDS_SQL);
    refreshWideView(db, true);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Brings an older store up to SCHEMA_VERSION, one migration at a time, in one write transaction. */
function migrate(db: Store): void {
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma("user_version", { simple: true }) as number;
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      const sql = MIGRATIONS[v];
      if (sql !== undefined) db.exec(sql);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
