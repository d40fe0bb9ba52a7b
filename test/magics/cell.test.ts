import assert from "node:assert/strict";
import { test } from "node:test";
import { splitCell } from "../../src/magics/cell.js";

test("plain TypeScript is one code part", () => {
  assert.deepEqual(splitCell("const x = 1;\nx + 1"), [{ kind: "code", code: "const x = 1;\nx + 1", line: 0 }]);
  assert.deepEqual(splitCell(""), []);
  assert.deepEqual(splitCell("\n  \n"), []);
});

test("line magics mix with TypeScript, in order, with line numbers", () => {
  const parts = splitCell("%cd /tmp\nconst a = 1;\nconst b = 2;\n  %time a + b -> t\nconsole.log(t)\n%env");
  assert.deepEqual(parts, [
    { kind: "magic", name: "cd", argText: "/tmp", line: 0 },
    { kind: "code", code: "const a = 1;\nconst b = 2;", line: 1 },
    { kind: "magic", name: "time", argText: "a + b", bindTo: "t", line: 3 },
    { kind: "code", code: "console.log(t)", line: 4 },
    { kind: "magic", name: "env", argText: "", line: 5 },
  ]);
});

test("cell magics take the first non-blank line and the rest as body", () => {
  assert.deepEqual(splitCell("%%sh --cwd /tmp\necho hi\n%cd not-a-magic-here"), [
    { kind: "magic", name: "sh", argText: "--cwd /tmp", body: "echo hi\n%cd not-a-magic-here", line: 0 },
  ]);
  assert.deepEqual(splitCell("\n%%time -> r\nf()"), [{ kind: "magic", name: "time", argText: "", bindTo: "r", body: "f()", line: 1 }]);
  assert.deepEqual(splitCell("%%sh"), [{ kind: "magic", name: "sh", argText: "", body: "", line: 0 }]);
});

test("name? asks for help; bindings need -> at the end", () => {
  assert.deepEqual(splitCell("%time?"), [{ kind: "magic", name: "time", argText: "--help", line: 0, pager: true }]);
  assert.deepEqual(splitCell("%%sh?"), [{ kind: "magic", name: "sh", argText: "--help", body: "", line: 0, pager: true }]);
  assert.deepEqual(splitCell("%load 'a -> b'"), [{ kind: "magic", name: "load", argText: "'a -> b'", line: 0 }]);
  assert.deepEqual(splitCell("%load x.csv ->df"), [{ kind: "magic", name: "load", argText: "x.csv", bindTo: "df", line: 0 }]);
  assert.deepEqual(splitCell("%"), [{ kind: "magic", name: "", argText: "", line: 0 }]);
});

test("!command on a line of its own is a shell escape (%system); inside a template literal it is TypeScript", () => {
  assert.deepEqual(splitCell("const a = 1;\n!ls -l *.c\na"), [
    { kind: "code", code: "const a = 1;", line: 0 },
    { kind: "magic", name: "system", argText: "ls -l *.c", line: 1 },
    { kind: "code", code: "a", line: 2 },
  ]);
  assert.deepEqual(splitCell("const s = `x\n!not shell`;"), [{ kind: "code", code: "const s = `x\n!not shell`;", line: 0 }]);
});

test("% at line start inside template literals and block comments is TypeScript", () => {
  const template = "const s = `first\n%not a magic ${`nested\n%still not`}\n%nor this`;\n%env HOME";
  assert.deepEqual(splitCell(template), [
    { kind: "code", code: "const s = `first\n%not a magic ${`nested\n%still not`}\n%nor this`;", line: 0 },
    { kind: "magic", name: "env", argText: "HOME", line: 4 },
  ]);
  const braces = "const t = `${ { a: 1 }.a }\n%x`;\n%cd";
  assert.equal(splitCell(braces).length, 2);
  const comment = "/* a comment\n%cd /tmp\n*/\n%cd";
  assert.deepEqual(splitCell(comment).map((p) => p.kind), ["code", "magic"]);
  // Quotes and backticks inside strings and line comments do not open a template.
  const quoted = "const q = '`'; // `\n%cd\nconst r = \"\\\"`\";\n%env";
  assert.deepEqual(splitCell(quoted).map((p) => p.kind), ["code", "magic", "code", "magic"]);
  const escaped = "const e = `a \\` b\n%x\\${c}`;\n%cd";
  assert.deepEqual(splitCell(escaped).map((p) => p.kind), ["code", "magic"]);
});

test("Windows line endings", () => {
  assert.deepEqual(splitCell("%cd /tmp\r\nconst x = 1;\r\n"), [
    { kind: "magic", name: "cd", argText: "/tmp", line: 0 },
    { kind: "code", code: "const x = 1;\n", line: 1 },
  ]);
});
