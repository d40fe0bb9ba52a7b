import type Database from "better-sqlite3";

/** An open sweep store: a better-sqlite3 connection to the SQLite file (see open.ts to open one). */
export type Store = Database.Database;
