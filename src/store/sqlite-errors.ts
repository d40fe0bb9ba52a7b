import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import { dirname } from "node:path";
import { SimlabError } from "../core/errors.js";
import type { Store } from "./store.js";

/**
 * SQLite failures that are about the user's file, not bugs in simlab: a full disk, a damaged or foreign
 * file, a read-only file or folder, a lock held too long, an unreadable file. Each becomes one SimlabError
 * line naming the store; anything else (a constraint we violated, a syntax error) keeps its stack.
 * better-sqlite3 reports extended codes ("SQLITE_IOERR_WRITE", "SQLITE_READONLY_DBMOVED"), so the base
 * code is the part before the second underscore.
 */
export function storeError(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return e;
  const base = code.split("_").slice(0, 2).join("_");
  const detail = `${(e as Error).message} (${code})`;
  const full = () => new SimlabError(`store ${path} is full: ${detail}`, "free disk space (or use another --db) and run the same command again: finished runs are kept");
  switch (base) {
    case "SQLITE_FULL":
      return full();
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      return new SimlabError(
        `store ${path} is damaged or not a SQLite database: ${detail}`,
        `restore it from a copy, or salvage it with \`sqlite3 ${path} .recover | sqlite3 fixed.db\`; a new --db file starts afresh`,
      );
    case "SQLITE_READONLY":
      return new SimlabError(`store ${path} is read-only: ${detail}`, "make the file and its folder writable, or write to another --db; reading (`simlab results`) works on a read-only file");
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return new SimlabError(`store ${path} stayed locked by another process: ${detail}`, "wait for the other sweep to finish, or use another --db");
    case "SQLITE_CANTOPEN":
    case "SQLITE_PERM":
    case "SQLITE_AUTH":
      return new SimlabError(`cannot open store ${path}: ${detail}`, cantOpenHint(path));
    case "SQLITE_IOERR": // a full disk often shows as a failed write or a WAL index that cannot grow
      if (diskIsFull(path)) return full();
      return new SimlabError(`I/O error on store ${path}: ${detail}`, "check the disk and the file system the store is on");
    default:
      return e;
  }
}

/** Whether the file system holding `path` has (next to) no space left for unprivileged writes. */
function diskIsFull(path: string): boolean {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize < 1 << 20;
  } catch {
    return false;
  }
}

function cantOpenHint(path: string): string {
  const folder = dirname(path);
  if (!existsSync(folder)) return `the folder ${folder} does not exist`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `its folder ${folder} is read-only, and SQLite must create ${path}-shm beside a WAL store even to read it: copy the store to a writable folder and use the copy`;
  }
  return "check that the file is readable and its folder writable";
}

/** Runs `work` on the store, turning the file's SQLite failures into SimlabErrors naming it (`storeError`). */
export function guarded<T>(db: Store, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw storeError(e, db.name);
  }
}
