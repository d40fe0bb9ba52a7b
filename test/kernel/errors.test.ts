/** Errors in TypeScript terms (real compiler and runtime workers): tracebacks, inspection inside calls, completion in magic lines. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { completeMagicLine, pathCompletions } from "../../src/kernel/compile/magic-completion.js";
import { composeLines, fillGaps, lineTable } from "../../src/kernel/compile/source-lines.js";
import { Engine, objectQuery } from "../../src/kernel/engine.js";
import { cellTraceback } from "../../src/kernel/runtime/traceback.js";
import type { Outcome } from "../../src/kernel/runtime/messages.js";

let engine: Engine;
const streams: string[] = [];
before(() => {
  engine = new Engine({ stream: (_name, text) => streams.push(text), display: () => {}, clear: () => {}, input: async () => "", page: () => {} });
});
after(() => engine.close());

function traceback(outcome: Outcome): string[] {
  assert.equal(outcome.ok, false, "the cell should fail");
  return outcome.ok ? [] : outcome.error.traceback;
}

test("source map line tables decode, compose and fill the lines tslab adds", () => {
  // "AAAA;AACA;;AAEA": line 0 → 0, line 1 → 1, line 2 unmapped, line 3 → 3 (original lines accumulate across lines).
  assert.deepEqual(lineTable("AAAA;AACA;;AAEA"), [0, 1, -1, 3]);
  assert.deepEqual(composeLines([5, 6, 7], [2, -1, 0]), [7, -1, 5]);
  assert.deepEqual(fillGaps([-1, 2, -1, 4]), [-1, 2, 2, 4]);
});

test("a runtime error names the cell and the TypeScript line, through functions of earlier cells, without vm or kernel frames", async () => {
  const defined = await engine.execute('/** Adds. */\nfunction addUp(a: number, b: number) {\n  if (a > 10) throw new Error("too big: " + a);\n  return a + b;\n}', "In [1]");
  assert.equal(defined.ok, true);
  const tb = traceback(await engine.execute("const x = 5;\n\nconst y = addUp(x, 2);\naddUp(11, y)", "In [2]"));
  assert.deepEqual(tb, ["Error: too big: 11", "    at addUp (In [1], line 3)", "    at In [2], line 4"]);
  // Imports take tslab's full CommonJS step (helpers are added at the top); the line still matches.
  const imported = traceback(await engine.execute('import * as path from "node:path";\nconst joined = path.join("a", "b");\n\n(null as any).foo', "In [3]"));
  assert.match(imported[0]!, /^TypeError: Cannot read properties of null/);
  assert.equal(imported[1], "    at In [3], line 4");
  // Interruptible loops, top-level await and magics before the code keep their lines too.
  const looped = traceback(await engine.execute('%env SIMLAB_TB=1\nawait Promise.resolve();\nfor (let i = 0; i < 3; i++) {\n  if (i === 2) addUp(100, i);\n}', "In [4]"));
  assert.deepEqual(looped.slice(1), ["    at addUp (In [1], line 3)", "    at In [4], line 4"]);
  for (const line of [...tb, ...imported, ...looped]) assert.doesNotMatch(line, /node:vm|node:internal|simlab-cell|kernel\/runtime/);
});

test("compile errors name the line in the cell", async () => {
  const outcome = await engine.execute("const ok = 1;\n%env SIMLAB_TB=2\nconst bad: string = ok;", "In [5]");
  assert.equal(outcome.ok, false);
  assert.match(outcome.ok ? "" : outcome.error.evalue, /^3:7 - Type 'number' is not assignable to type 'string'/);
});

test("inspection after `addUp(` (or inside its arguments) finds the function", async () => {
  for (const code of ["addUp(", "addUp(1, ", "const q = addUp(2, [1, 2].length, "]) {
    const text = await engine.inspect(code, code.length);
    assert.match(text ?? "", /^function addUp\(a: number, b: number\): number\n\nAdds\./, code);
  }
  assert.match((await engine.inspect("Math.max(addUp(1, 2), ", 22)) ?? "", /Math\.max/);
  assert.equal(objectQuery("addUp?"), "addUp");
  assert.equal(objectQuery("?Math.max"), "Math.max");
  assert.equal(objectQuery("a ? b : c"), undefined);
  assert.equal(objectQuery("x"), undefined);
});

test("completion inside magic lines offers the magic's options, their choices and file paths", async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "simlab-complete-")));
  const start = process.cwd();
  try {
    mkdirSync(join(dir, "specs"));
    writeFileSync(join(dir, "specs", "gemm-24.json"), "{}");
    writeFileSync(join(dir, "points.csv"), "x\n");
    process.chdir(dir);
    assert.deepEqual(pathCompletions("sp"), ["specs/"]);
    assert.deepEqual(pathCompletions("specs/g"), ["specs/gemm-24.json"]);
    const at = async (code: string) => completeMagicLine(code, code.length);
    const options = await at("%sweep specs/gemm-24.json --to");
    assert.deepEqual(options, { start: 26, end: 30, matches: ["--tools"] });
    assert.deepEqual((await at("%%sh --sh"))?.matches, ["--shell"]);
    assert.deepEqual((await at("%%sh --shell b"))?.matches, ["bash"]);
    assert.deepEqual((await at("%load po"))?.matches, ["points.csv"]);
    assert.deepEqual((await at('const a = 1;\n%load "spe'))?.matches, ["specs/"]);
    assert.deepEqual((await at("!cat specs/"))?.matches, ["specs/gemm-24.json"]);
    assert.equal(await at("const x = 1; x.toF"), undefined, "TypeScript is completed by the compiler");
    // Through the engine: magic lines get paths, TypeScript gets TypeScript.
    assert.deepEqual((await engine.complete("%load po", 8)).matches, ["points.csv"]);
    assert.ok((await engine.complete("Math.flo", 8)).matches.includes("floor"));
  } finally {
    process.chdir(start);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tracebacks keep library frames and the message lines", () => {
  const files = new Map([["simlab-cell-9", { label: "In [9]", lines: [0, 2, 3] }]]);
  const stack = "Error: two\nlines\n    at lib (/x/node_modules/arquero/a.js:1:1)\n    at simlab-cell-9:2:5\n    at simlab-cell-9:4:1\n    at Script.runInThisContext (node:vm:1:1)";
  assert.deepEqual(cellTraceback(stack, files), ["Error: two", "lines", "    at lib (/x/node_modules/arquero/a.js:1:1)", "    at In [9], line 2"]);
});

test("an interrupt while the cell is still being compiled stops it; the next cell runs", async () => {
  // A fresh kernel spends its first second building the compiler: the interrupt lands before anything runs.
  const fresh = new Engine({ stream: () => {}, display: () => {}, clear: () => {}, input: async () => "", page: () => {} });
  try {
    const running = fresh.execute("let q = 0;\nq", "In [1]");
    setTimeout(() => fresh.interrupt(), 20);
    const outcome = await running;
    assert.equal(outcome.ok ? "ok" : outcome.error.ename, "Interrupted");
    const next = await fresh.execute("1 + 1", "In [2]");
    assert.deepEqual(next.ok ? next.bundle : next.error, { "text/plain": "2" });
  } finally {
    await fresh.close();
  }
});
