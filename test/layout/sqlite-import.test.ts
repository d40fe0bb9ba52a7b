import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// better-sqlite3 12 aborts Node 24 when a statement or database is garbage-collected; src/store/sqlite.ts picks the
// version that works on the running Node. A value import of "better-sqlite3" anywhere else would bypass it.
const repo = join(dirname(fileURLToPath(import.meta.url)), "../../..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

test("only src/store/sqlite.ts loads better-sqlite3 (others import its Database, or types only)", () => {
  const offenders = ["src", "test", "bench"]
    .flatMap((d) => tsFiles(join(repo, d)))
    .filter((f) => relative(repo, f) !== join("src", "store", "sqlite.ts"))
    .filter((f) => /^import\s+(?!type\b)[^;]*from\s+"better-sqlite3(?:-13)?"/m.test(readFileSync(f, "utf8")))
    .map((f) => relative(repo, f));
  assert.deepEqual(offenders, []);
});
