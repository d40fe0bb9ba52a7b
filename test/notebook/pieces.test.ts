import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { notebookHtml, renderMarkdown } from "../../src/notebook/html.js";
import { normalizeNotebook, readNotebook, sourceText, toLines, type CodeCell, type Notebook, type Output } from "../../src/notebook/ipynb.js";
import { installedKernelLaunch } from "../../src/notebook/kernelspec.js";
import { jupyterDataDirs } from "../../src/kernel/jupyter-paths.js";
import { OutputRecorder } from "../../src/notebook/outputs.js";
import { injectParameters, parseParameters, typedLiteral } from "../../src/notebook/parameters.js";

function code(source: string, tags?: string[]): Record<string, unknown> {
  return { cell_type: "code", source, metadata: tags ? { tags } : {}, outputs: [], execution_count: null };
}

function notebook(cells: Record<string, unknown>[]): Notebook {
  return normalizeNotebook({ nbformat: 4, nbformat_minor: 2, metadata: {}, cells }, "test.ipynb");
}

test("typed literals: numbers, booleans, null and JSON keep their type; the rest are strings", () => {
  assert.equal(typedLiteral("256"), "256");
  assert.equal(typedLiteral("-1.5e3"), "-1500");
  assert.equal(typedLiteral("true"), "true");
  assert.equal(typedLiteral("null"), "null");
  assert.equal(typedLiteral('["cachegrind", "native"]'), '["cachegrind","native"]');
  assert.equal(typedLiteral('{"a": 1}'), '{"a":1}');
  assert.equal(typedLiteral('"quoted"'), '"quoted"');
  assert.equal(typedLiteral("gemm"), '"gemm"');
  assert.equal(typedLiteral("[not json"), '"[not json"');
  assert.equal(typedLiteral("0x10"), '"0x10"');
  assert.equal(typedLiteral("it's \"odd\"\n"), JSON.stringify("it's \"odd\"\n"));
});

test("parameters parse as name=value with identifier names", () => {
  assert.deepEqual([...parseParameters(["size=256", "expr=a=b", "empty="])], [["size", "256"], ["expr", "a=b"], ["empty", ""]]);
  for (const [word, message] of [
    ["size", "parameter 'size' is not name=value"],
    ["=3", "parameter '=3' is not name=value"],
    ["2x=3", "parameter name '2x' is not a valid TypeScript identifier"],
  ] as const) {
    assert.throws(() => parseParameters([word]), (e: unknown) => isSimlabError(e) && e.message === message);
  }
});

test("parameters are injected after the parameters cell, replacing an earlier injection", () => {
  const nb = notebook([code("const a = 1;"), code("const size = 1;", ["parameters"]), code("size")]);
  const once = injectParameters(nb, new Map([["size", "64"], ["name", "x"]]));
  assert.equal(once.cells.length, 4);
  assert.deepEqual(once.cells[2]!.metadata.tags, ["injected-parameters"]);
  assert.equal(sourceText(once.cells[2]!.source), '// Injected parameters (simlab run -p)\nconst size = 64;\nconst name = "x";');
  const twice = injectParameters(once, new Map([["size", "128"]]));
  assert.equal(twice.cells.length, 4);
  assert.match(sourceText(twice.cells[2]!.source), /const size = 128;/);
  assert.equal(nb.cells.length, 3, "the input notebook is not modified");
  const noTag = injectParameters(notebook([code("x")]), new Map([["x", "1"]]));
  assert.deepEqual(noTag.cells[0]!.metadata.tags, ["injected-parameters"]);
  assert.equal(injectParameters(nb, new Map()), nb);
});

test("normalizing upgrades to 4.5 with unique ids and rejects non-notebooks", async () => {
  const nb = notebook([
    { ...code("a"), id: "same" },
    { ...code("b"), id: "same" },
    { cell_type: "markdown", source: ["# T\n"], metadata: {} },
  ]);
  assert.equal(nb.nbformat_minor, 5);
  const ids = nb.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, 3);
  assert.equal(ids[0], "same");
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{1,64}$/);
  const dir = mkdtempSync(join(tmpdir(), "simlab-nb-"));
  try {
    writeFileSync(join(dir, "bad.ipynb"), "{ nope");
    writeFileSync(join(dir, "v3.ipynb"), JSON.stringify({ nbformat: 3, cells: [] }));
    writeFileSync(join(dir, "cell.ipynb"), JSON.stringify({ nbformat: 4, cells: [{ cell_type: "heading", source: "" }] }));
    const cases: [string, RegExp][] = [
      ["bad.ipynb", /bad\.ipynb is not valid JSON/],
      ["v3.ipynb", /v3\.ipynb is not a Jupyter notebook: nbformat is 3, expected 4/],
      ["cell.ipynb", /cell 0 has cell_type "heading"/],
      ["missing.ipynb", /cannot read .*missing\.ipynb: ENOENT/],
    ];
    for (const [file, pattern] of cases) {
      await assert.rejects(readNotebook(join(dir, file)), (e: unknown) => isSimlabError(e) && pattern.test(e.message));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(toLines("a\nb\n\nc"), ["a\n", "b\n", "\n", "c"]);
});

test("the recorder merges streams, honours clear_output and updates displays across cells", () => {
  const nb = notebook([code("a"), code("b")]);
  const [first, second] = nb.cells as [CodeCell, CodeCell];
  const seen: [string, number][] = [];
  const recorder = new OutputRecorder((output, index) => seen.push([output.output_type, index]));
  recorder.record(first, 0, "stream", { name: "stdout", text: "a" });
  recorder.record(first, 0, "stream", { name: "stdout", text: "b\n" });
  recorder.record(first, 0, "stream", { name: "stderr", text: "warn\n" });
  recorder.record(first, 0, "display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } });
  recorder.record(second, 1, "execute_result", { execution_count: 7, data: { "text/plain": "42" }, metadata: {} });
  recorder.record(second, 1, "update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } });
  assert.deepEqual(first.outputs, [
    { output_type: "stream", name: "stdout", text: "ab\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} },
  ]);
  assert.deepEqual(second.outputs, [{ output_type: "execute_result", execution_count: 7, data: { "text/plain": "42" }, metadata: {} }]);
  recorder.record(second, 1, "clear_output", { wait: true });
  assert.equal(second.outputs.length, 1, "wait=true clears only when the next output arrives");
  recorder.record(second, 1, "error", { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function"] });
  assert.deepEqual(second.outputs, [{ output_type: "error", ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function"] }]);
  recorder.record(second, 1, "clear_output", { wait: false });
  assert.deepEqual(second.outputs, []);
  assert.deepEqual(seen, [["stream", 0], ["stream", 0], ["display_data", 0], ["execute_result", 1], ["error", 1]]);
});

test("HTML report: output priority, escaping, plotly inlined once, offline", () => {
  const nb = notebook([{ cell_type: "markdown", source: "# Tour <1>\n\n- item `x`\n\ntext with **bold**", metadata: {} }, code("1 < 2")]);
  const cell = nb.cells[1] as CodeCell;
  cell.execution_count = 3;
  const figure = { data: [{ x: [1, 2], y: [3, 4], type: "scatter", name: "</script><b>" }], layout: { title: { text: "t" } } };
  const outputs: Output[] = [
    { output_type: "stream", name: "stdout", text: "<out>\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "display_data", data: { "text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "table" }, metadata: {} },
    { output_type: "display_data", data: { "image/png": "iVBORw0KGgo=", "image/svg+xml": "<svg></svg>", "text/plain": "png" }, metadata: {} },
    { output_type: "display_data", data: { "image/svg+xml": "<svg id='s'></svg>", "text/plain": "svg" }, metadata: {} },
    { output_type: "display_data", data: { "application/vnd.plotly.v1+json": figure, "text/html": "<div>offline-fallback-7c1</div>", "text/plain": "Figure" }, metadata: {} },
    { output_type: "display_data", data: { "application/vnd.plotly.v1+json": figure, "text/plain": "Figure" }, metadata: {} },
    { output_type: "execute_result", execution_count: 3, data: { "text/plain": "true" }, metadata: {} },
    { output_type: "error", ename: "Error", evalue: "boom", traceback: ["\u001b[31mError\u001b[0m: boom"] },
  ];
  cell.outputs = outputs;
  const html = notebookHtml(nb, "tour");
  assert.match(html, /<h1>Tour &lt;1&gt;<\/h1>/);
  assert.match(html, /<li>item <code>x<\/code><\/li>/);
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(html, /In \[3\]:<\/span><pre>1 &lt; 2<\/pre>/);
  assert.match(html, /<pre class="stdout">&lt;out&gt;\n<\/pre>/);
  assert.match(html, /<pre class="stderr">warn/);
  assert.match(html, /<table><tr><td>1<\/td><\/tr><\/table>/);
  assert.match(html, /<img alt="figure" src="data:image\/png;base64,iVBORw0KGgo=">/);
  assert.match(html, /<svg id='s'><\/svg>/);
  assert.ok(!html.includes("offline-fallback-7c1"), "a plotly figure is drawn with plotly, not its fallback");
  assert.equal(html.match(/Plotly\.newPlot\("plotly-figure-/g)?.length, 2);
  assert.ok(!html.includes("</script><b>"), "figure JSON cannot close its script element");
  assert.match(html, /<pre class="error">Error: boom<\/pre>/);
  assert.match(html, /<pre>true<\/pre>/);
  assert.ok(html.length > 3_000_000 && html.length < 6_000_000, `plotly.js is inlined exactly once (${html.length} bytes)`);
  assert.ok(!/<script[^>]+src=/.test(html), "nothing is loaded from the network");
  const plain = notebookHtml(notebook([code("1")]), "plain");
  assert.ok(plain.length < 10_000, "no plotly when there is no figure");
  assert.equal(renderMarkdown("```\n<x>\n```"), "<pre><code>&lt;x&gt;</code></pre>");
  assert.equal(renderMarkdown("an *italic\nspan* and **bold\ntoo**"), "<p>an <em>italic span</em> and <strong>bold too</strong></p>", "emphasis across a line break");
});

test("installed kernelspecs are found on JUPYTER_PATH first", async () => {
  const dir = mkdtempSync(join(tmpdir(), "simlab-ks-"));
  try {
    const env = { JUPYTER_PATH: dir, HOME: dir };
    assert.equal(jupyterDataDirs(env)[0], dir);
    await assert.rejects(installedKernelLaunch("nope", env), (e: unknown) => isSimlabError(e) && /no kernel named 'nope' is installed/.test(e.message));
    mkdirSync(join(dir, "kernels", "k"), { recursive: true });
    writeFileSync(join(dir, "kernels", "k", "kernel.json"), JSON.stringify({ argv: ["node", "k.js", "{connection_file}"], env: { A: "1" }, interrupt_mode: "message" }));
    assert.deepEqual(await installedKernelLaunch("k", env), { argv: ["node", "k.js", "{connection_file}"], env: { A: "1" }, interruptMode: "message" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a kernel installed with --sys-prefix in a virtualenv is found by name, as by simlab run --kernel-name", async () => {
  const { runCommand, simlabMain } = await import("./cli-helpers.js");
  const venv = mkdtempSync(join(tmpdir(), "simlab-venv-"));
  try {
    const env = { VIRTUAL_ENV: venv, HOME: venv, JUPYTER_PATH: "", JUPYTER_DATA_DIR: join(venv, "user-data") };
    const installed = await runCommand([process.execPath, simlabMain, "install", "--sys-prefix", "--name", "venvk"], { env });
    assert.equal(installed.code, 0, installed.stderr);
    assert.match(installed.stdout, new RegExp(`${venv}/share/jupyter/kernels/venvk`));
    const launch = await installedKernelLaunch("venvk", env);
    assert.equal(launch.argv[0], process.execPath);
  } finally {
    rmSync(venv, { recursive: true, force: true });
  }
});
