/** Unit tests of the kernel's pure parts: wire format, loop instrumentation, kernelspec paths, module fallback, display. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import type * as TS from "@tslab/typescript-for-tslab";
import { mimeBundle } from "../../src/display/index.js";
import { blankMagicLines, checkComplete } from "../../src/kernel/compile/compiler.js";
import { trivialModuleToCommonJs } from "../../src/kernel/compile/fast-commonjs.js";
import { TICK, instrumentLoops } from "../../src/kernel/compile/instrument.js";
import { oneRebuildPerCell } from "../../src/kernel/compile/light-builder.js";
import { tslabRequire } from "../../src/kernel/compile/typescript-loader.js";
import { deferLoopExports } from "../../src/kernel/compile/loop-exports.js";
import { kernelsDir } from "../../src/kernel/kernelspec.js";
import { historyFile, jupyterDataDirs, searchedKernelsDirs, userDataDir } from "../../src/kernel/jupyter-paths.js";
import { fallbackPath, simlabRoot } from "../../src/kernel/modules.js";
import { Signer, WireError, createMessage, decodeMessage, encodeMessage } from "../../src/kernel/protocol/wire.js";
import { codeAtCursor, executeRequest } from "../../src/kernel/protocol/requests.js";
import { repoRoot } from "./helpers.js";

const run = promisify(execFile);

test("wire: a signed message round-trips; a tampered or wrongly keyed one is rejected", () => {
  const signer = new Signer("secret");
  const message = createMessage("execute_request", { code: "1 + 1" }, { session: "s1", identities: [Buffer.from("peer")] });
  const frames = encodeMessage(message, signer);
  const decoded = decodeMessage(frames, signer);
  assert.deepEqual(decoded.content, { code: "1 + 1" });
  assert.deepEqual(decoded.identities, [Buffer.from("peer")]);
  assert.equal(decoded.header.msg_type, "execute_request");
  assert.equal(decoded.header.version, "5.3");

  assert.throws(() => decodeMessage(frames, new Signer("other")), WireError);
  const tampered = [...frames];
  tampered[tampered.length - 1] = Buffer.from(JSON.stringify({ code: "2 + 2" }));
  assert.throws(() => decodeMessage(tampered, signer), /bad HMAC signature/);
  assert.throws(() => decodeMessage([Buffer.from("x")], signer), /delimiter/);
});

test("wire: replies carry the parent's header and identities", () => {
  const signer = new Signer("");
  const request = decodeMessage(encodeMessage(createMessage("kernel_info_request", {}, { session: "c", identities: [Buffer.from("id")] }), signer), signer);
  const reply = createMessage("kernel_info_reply", { status: "ok" }, { session: "k", parent: request });
  assert.equal(reply.parent_header.msg_id, request.header.msg_id);
  assert.deepEqual(reply.identities, [Buffer.from("id")]);
});

const ts = createRequire(join(repoRoot, "node_modules", "tslab", "package.json"))("@tslab/typescript-for-tslab") as typeof TS;

test("instrument: every loop body starts with the interrupt check, and code still runs the same", () => {
  const js = "let n = 0; for (let i = 0; i < 3; i++) n += i; while (n < 10) { n++; } do n++; while (n < 12); for (const k of [1]) n += k; n";
  const out = instrumentLoops(ts, js);
  assert.equal(out.split(`${TICK}();`).length - 1, 4);
  let ticks = 0;
  const value = new Function(TICK, `${out.replace(/n$/, "return n")}`)(() => ticks++);
  assert.equal(value, 13);
  assert.ok(ticks >= 12);
});

test("kernelspec: data dirs follow jupyter's rules", () => {
  assert.equal(userDataDir({ JUPYTER_DATA_DIR: "/d" }), "/d");
  assert.equal(kernelsDir({ kind: "prefix", dir: "/p" }), "/p/share/jupyter/kernels");
  assert.equal(kernelsDir({ kind: "sys-prefix" }, { VIRTUAL_ENV: "/venv" }), "/venv/share/jupyter/kernels");
  assert.equal(kernelsDir({ kind: "sys-prefix" }, {}), "/usr/local/share/jupyter/kernels");
  assert.deepEqual(searchedKernelsDirs({ JUPYTER_DATA_DIR: "/u", JUPYTER_PATH: "/a:/b" }), ["/a/kernels", "/b/kernels", "/u/kernels", "/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels"]);
  // Inside a virtualenv, its share/jupyter comes before the user's (jupyter_core's JUPYTER_PREFER_ENV_PATH default).
  assert.deepEqual(jupyterDataDirs({ JUPYTER_DATA_DIR: "/u", VIRTUAL_ENV: "/venv" }).slice(0, 2), ["/venv/share/jupyter", "/u"]);
  assert.deepEqual(jupyterDataDirs({ JUPYTER_DATA_DIR: "/u", VIRTUAL_ENV: "/venv", JUPYTER_PREFER_ENV_PATH: "0" }).slice(0, 2), ["/u", "/venv/share/jupyter"]);
  assert.equal(historyFile({ JUPYTER_DATA_DIR: "/u" }), "/u/simlab/history.sqlite");
  assert.equal(historyFile({ JUPYTER_DATA_DIR: "/u", SIMLAB_HISTORY: "/h.sqlite" }), "/h.sqlite");
});

test("simlab install/uninstall write and remove kernel.json and logos", async () => {
  const prefix = mkdtempSync(join(tmpdir(), "simlab-install-"));
  try {
    const cli = join(repoRoot, "dist", "src", "cli", "main.js");
    await run(process.execPath, [cli, "install", "--prefix", prefix, "--name", "SimLab-Test"]);
    const dir = join(prefix, "share", "jupyter", "kernels", "simlab-test");
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as { argv: string[]; language: string; interrupt_mode: string };
    assert.deepEqual(spec.argv, [process.execPath, cli, "kernel", "-f", "{connection_file}"]);
    assert.equal(spec.language, "typescript");
    assert.equal(spec.interrupt_mode, "message");
    for (const size of ["32x32", "64x64"]) {
      const png = readFileSync(join(dir, `logo-${size}.png`));
      assert.equal(png.subarray(1, 4).toString(), "PNG");
      assert.equal(png.readUInt32BE(16), Number(size.split("x")[0]));
    }
    await run(process.execPath, [cli, "uninstall", "--prefix", prefix, "--name", "simlab-test"]);
    assert.equal(existsSync(dir), false);
    await assert.rejects(run(process.execPath, [cli, "install", "--user", "--prefix", prefix]), /only one of --user, --sys-prefix, --prefix/);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test("simlab kernel: every option is declared, and a missing connection file is one line and an exit, not a hang", async () => {
  const cli = join(repoRoot, "dist", "src", "cli", "main.js");
  const help = await run(process.execPath, [cli, "kernel", "--help"]);
  assert.match(help.stdout, /-f, --connection-file CONNECTION_FILE/);
  await assert.rejects(run(process.execPath, [cli, "kernel"]), /missing required option --connection-file/);
  // Before, the compiler thread (started first for speed) kept the process alive after the error.
  const missing = join(tmpdir(), "simlab-no-such-connection.json");
  const failed = await run(process.execPath, [cli, "kernel", "-f", missing], { timeout: 30_000 }).then(
    () => assert.fail("the kernel started without a connection file"),
    (e: { code: number | null; killed: boolean; stderr: string }) => e,
  );
  assert.equal(failed.killed, false, "the kernel hung after the error");
  assert.equal(failed.code, 1);
  assert.equal(failed.stderr.trim().split("\n")[0], `simlab kernel: cannot read connection file ${missing}: ENOENT: no such file or directory, open '${missing}'`);
});

test("modules: the last resolution step falls back into simlab's root", () => {
  assert.equal(fallbackPath("/node_modules/simlab/package.json"), join(simlabRoot, "package.json"));
  assert.equal(fallbackPath("/node_modules/@types/node/index.d.ts"), join(simlabRoot, "node_modules", "@types", "node", "index.d.ts"));
  assert.equal(fallbackPath("/home/me/node_modules/arquero"), undefined);
});

test("is_complete: open constructs are incomplete, broken syntax invalid, magics complete", () => {
  assert.equal(checkComplete("const x = 1").status, "complete");
  assert.deepEqual(checkComplete("function f() {"), { status: "incomplete", indent: "  " });
  assert.equal(checkComplete("1 +* 2)").status, "invalid");
  assert.equal(checkComplete("%%sh\necho {").status, "complete");
  assert.equal(blankMagicLines("%time x\ny"), `${" ".repeat(7)}\ny`);
});

test("display: arquero tables show head rows and size; plain values use inspect; Displayables pass through", async () => {
  const aq = await import("arquero");
  const table = aq.table({ x: Array.from({ length: 25 }, (_, i) => i), name: Array.from({ length: 25 }, (_, i) => `n${i}`) });
  const bundle = mimeBundle(table);
  assert.match(String(bundle["text/html"]), /<table>.*<\/table>.*25 rows × 2 columns \(first 20 shown\)/s);
  assert.equal((String(bundle["text/html"]).match(/<tr>/g) ?? []).length, 21);
  assert.match(String(bundle["text/plain"]), /^ x  name\n 0    n0/);
  assert.deepEqual(mimeBundle({ a: [1, 2] }), { "text/plain": "{ a: [ 1, 2 ] }" });
  assert.deepEqual(mimeBundle("hi"), { "text/plain": "'hi'" });
  const plot = { [Symbol.for("simlab.toMimeBundle")]: () => ({ "application/vnd.plotly.v1+json": { data: [] } }) };
  assert.deepEqual(Object.keys(mimeBundle(plot)).sort(), ["application/vnd.plotly.v1+json", "text/plain"]);
});

test("fast CommonJS: a cell that imports nothing and exports only constants, functions and classes skips transpileModule and runs the same; others fall back", () => {
  const viaTypeScript = (js: string) =>
    ts.transpileModule(js, { fileName: "custom.js", compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, noImplicitUseStrict: true } }).outputText;
  // The scope after the cell ran, in the order its names were created; functions and classes by their source text.
  const run = (js: string) => {
    const exports: Record<string, unknown> = { kept: 40 };
    new Function("exports", "require", js)(exports, () => ({}));
    return Object.entries(exports).map(([k, v]) => [k, typeof v === "function" ? String(v) : v]);
  };
  const declaring = [
    "exports.kept += 1;\nexport const tsLastExpr = exports.kept * 2;\nexport {};\n",
    "exports.kept = 3;\nexport {};\n",
    // tslab's form: the cell's declarations, its last expression, and one export list.
    "const a = 1, b = a + exports.kept;\nfunction f(x) { return x + b; }\nclass K {\n    v = 2;\n}\nexport const tsLastExpr = f(new K().v);\nexport { a, b, f, K };\n",
    "async function g() { return 1; }\nconst p = g();\nexport { g, p };\n",
  ];
  for (const esm of declaring) {
    const fast = trivialModuleToCommonJs(ts, esm);
    assert.notEqual(fast, undefined, esm);
    const [viaFast, viaTs] = [run(fast!), run(viaTypeScript(esm))];
    assert.deepEqual(viaFast.map(([k, v]) => [k, v instanceof Promise ? "promise" : v]), viaTs.map(([k, v]) => [k, v instanceof Promise ? "promise" : v]), fast); // TypeScript's __esModule marker is not enumerable
    assert.equal(fast!.split("\n").length, esm.split("\n").length, "lines are kept");
  }
  const fallBack = [
    "const x = 1;\nexport { x as y };\n",
    "let n = 1;\nn = 2;\nexport { n };\n", // TypeScript writes `exports.n = n = 2`
    "const { a } = exports;\nexport { a };\n",
    'import * as fs from "node:fs";\nexport const tsLastExpr = fs;\n',
    'export const tsLastExpr = await import("node:fs");\n',
    "export default 1;\n",
  ];
  for (const esm of fallBack) {
    assert.equal(trivialModuleToCommonJs(ts, esm), undefined, esm);
  }
});

test("tslab's converter is built once per cell: its locals-only first build is replaced, and a changed converter.js is refused", () => {
  const original = readFileSync(tslabRequire.resolve("tslab/dist/converter.js"), "utf8");
  const patched = oneRebuildPerCell(original);
  const convertBody = (source: string) => source.slice(source.indexOf("function convert(prevDecl, src) {"), source.indexOf("asMutable(srcFile).parent = declsFile;"));
  assert.match(convertBody(original), /const locals = srcFile\.locals;/);
  assert.doesNotMatch(convertBody(patched), /srcFile\.locals/, "the names no longer come from a built program");
  assert.match(convertBody(patched), /const locals = cellAlone\.locals;[\s\S]*if \(!locals \|\| locals\.size === 0\) \{ updateContent\(prevDecl, src\);/);
  assert.throws(() => oneRebuildPerCell(original.replace("function convert(prevDecl, src) {", "function convert(a, b) {")), /converter\.js changed/);
});

test("request contents: the messaging spec's defaults for absent fields, and typed values", () => {
  assert.deepEqual(executeRequest({ code: "1 + 1" }), { code: "1 + 1", silent: false, storeHistory: true, allowStdin: false, stopOnError: true });
  assert.deepEqual(executeRequest({ code: "x", silent: true, store_history: true, stop_on_error: false, allow_stdin: true }), { code: "x", silent: true, storeHistory: false, allowStdin: true, stopOnError: false });
  assert.equal(executeRequest({ code: 42 }).code, "", "a non-string code is no code");
  assert.deepEqual(codeAtCursor({ code: "Math.fl", cursor_pos: 4 }), { code: "Math.fl", cursorPos: 4 });
  assert.deepEqual(codeAtCursor({ code: "Math.fl" }), { code: "Math.fl", cursorPos: 7 });
  assert.equal(codeAtCursor({ code: "ab", cursor_pos: 99 }).cursorPos, 2);
  assert.equal(codeAtCursor({ code: "ab", cursor_pos: -1 }).cursorPos, 2);
});

test("top-level loops write their variables to the scope once, also when they throw part way", () => {
  const js = "let s = 0;\nexports.s = s;\nlet t = 0;\nexports.t = t;\nfor (let i = 0; i < 5; i++) { __tick(i); exports.s = s += i; exports.earlier = 1; }\nfunction f() { exports.t = t = 9; }";
  const out = deferLoopExports(ts, js);
  assert.match(out, /^try \{ for .*\{ __tick\(i\); s \+= i; exports\.earlier = 1; \} \} finally \{ exports\.s = s; \}$/m, "earlier cells' variables and closures keep writing through");
  assert.match(out, /function f\(\) \{ exports\.t = t = 9; \}/);
  assert.equal(out.split("\n").length, js.split("\n").length, "lines are kept");
  const scope: Record<string, number> = {};
  const stores: string[] = [];
  const exportsObject = new Proxy(scope, { set: (target, name, value) => (stores.push(String(name)), (target[name as string] = value), true) });
  // The loop is interrupted at i = 3: the scope still holds what it had summed.
  assert.throws(() => new Function("exports", "__tick", out)(exportsObject, (i: number) => { if (i === 3) throw new Error("interrupted"); }), /interrupted/);
  assert.equal(scope.s, 0 + 1 + 2);
  assert.deepEqual(stores.filter((n) => n === "s").length, 2, "one store before the loop, one after it");
  assert.equal(deferLoopExports(ts, "const k = 1;\nfor (;;) { exports.k = 2; }"), "const k = 1;\nfor (;;) { exports.k = 2; }", "a const has no local to fall back on");
});
