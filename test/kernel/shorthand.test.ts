import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { loadTypeScript } from "../../src/kernel/compile/typescript-loader.js";
import { expandShorthandProperties } from "../../src/kernel/compile/shorthand.js";
import { repoRoot } from "./helpers.js";

test("shorthand properties are written out in full, in literals and destructuring assignments, and nowhere else", () => {
  const ts = loadTypeScript();
  assert.equal(expandShorthandProperties(ts, "({ foo })"), "({ foo: foo })");
  assert.equal(expandShorthandProperties(ts, "({ a, b: 2, c } = o)"), "({ a: a, b: 2, c: c } = o)");
  assert.equal(expandShorthandProperties(ts, "({ a = 1 } = o)"), "({ a: a = 1 } = o)");
  assert.equal(expandShorthandProperties(ts, "const { a, b } = o; f({ ...a })"), "const { a, b } = o; f({ ...a })");
  assert.equal(expandShorthandProperties(ts, "const s = `{ a }`; // { b }"), "const s = `{ a }`; // { b }");
});

test("a cell can use an earlier cell's variable in a shorthand property", async () => {
  const dir = mkdtempSync(join(tmpdir(), "simlab-shorthand-"));
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  writeFileSync(
    join(dir, "nb.ipynb"),
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell("a", "const foo = 41;"), cell("b", "const o = { foo, bar: foo + 1 };\nJSON.stringify(o)")] }),
  );
  await promisify(execFile)(process.execPath, [join(repoRoot, "dist", "src", "cli", "main.js"), "run", join(dir, "nb.ipynb"), "-o", join(dir, "out.ipynb")]);
  const out = JSON.parse(readFileSync(join(dir, "out.ipynb"), "utf8")) as { cells: { outputs: { data?: Record<string, string> }[] }[] };
  assert.equal(out.cells[1]!.outputs[0]!.data!["text/plain"], `'{"foo":41,"bar":42}'`);
});
