import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

/**
 * better-sqlite3, in the version that works on this Node. 12.x (compiled on install) aborts on Node ≥ 24.19 when
 * the garbage collector finalises a statement ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook:
 * its Statement is a node::ObjectWrap); 13.x is N-API with shipped prebuilds but needs Node ≥ 22 (it crashes on 20).
 * npm installs the optional `better-sqlite3-13` alias only where its engines allow, so Node 20 gets 12.x.
 */
const require = createRequire(import.meta.url);
const nodeMajor = Number(process.versions.node.split(".")[0]);

function load(): typeof BetterSqlite3 {
  if (nodeMajor >= 22) {
    try {
      return require("better-sqlite3-13") as typeof BetterSqlite3;
    } catch {
      // not installed (e.g. node_modules installed under an older Node): fall back to 12.x
    }
  }
  return require("better-sqlite3") as typeof BetterSqlite3;
}

/** The better-sqlite3 constructor (`new Database(path, options)`); types stay `import type … from "better-sqlite3"`. */
export const Database: typeof BetterSqlite3 = load();
