import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { CodeCell, Output } from "../../src/notebook/ipynb.js";
import { readJson, repoRoot, runCommand, simlabMain } from "./cli-helpers.js";

/** The simlab kernel end to end: `simlab run` and Debian's nbconvert execute notebooks/tour.ipynb. */
const dir = mkdtempSync(join(tmpdir(), "simlab-tour-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const tour = join(repoRoot, "notebooks", "tour.ipynb");

function codeCells(path: string): CodeCell[] {
  return readJson(path).cells.filter((c): c is CodeCell => c.cell_type === "code");
}

/** nbformat stores text as a string or a list of lines. */
function joined(value: unknown): string {
  return [value ?? ""].flat().join("");
}

function text(outputs: Output[]): string {
  return outputs
    .map((o) => (o.output_type === "stream" ? joined(o.text) : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : joined(o.data["text/plain"])))
    .join("");
}

const failing = join(dir, "failing.ipynb");
writeFileSync(
  failing,
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "code", id: "ok", metadata: {}, source: "const fine = 1;", outputs: [], execution_count: null },
      { cell_type: "code", id: "bad", metadata: {}, source: "throw new RangeError('out of range: 42');", outputs: [], execution_count: null },
      { cell_type: "code", id: "after", metadata: {}, source: "console.log('never');", outputs: [], execution_count: null },
    ],
  }),
);

test("simlab run executes the tour with parameters and writes the notebook and an HTML report", async () => {
  const out = join(dir, "tour-out.ipynb");
  const html = join(dir, "tour.html");
  const run = await runCommand([process.execPath, simlabMain, "run", tour, "-o", out, "--html", html, "-p", "size=8"]);
  assert.equal(run.code, 0, run.stderr);
  const cells = codeCells(out);
  const counts = cells.map((c) => c.execution_count);
  assert.deepEqual(counts, counts.map((_, i) => i + 1), "every code cell has its execution count, in order");
  const all = cells.map((c) => text(c.outputs));
  const sum = cells.find((c) => [c.source].flat().join("").startsWith("const squares"))!;
  const result = sum.outputs.find((o) => o.output_type === "execute_result");
  assert.ok(result && result.output_type === "execute_result", "the last expression is an execute_result");
  assert.equal(result.execution_count, sum.execution_count);
  assert.equal(joined(result.data["text/plain"]), "140"); // 0² + … + 7²: the injected size=8 was used
  assert.ok(all.some((t) => /Line magics:[\s\S]*%time[\s\S]*Cell magics:[\s\S]*%%sh/.test(t)), "%lsmagic output");
  assert.ok(all.some((t) => t.includes("hello from %env")), "%env then TypeScript in one cell");
  assert.ok(all.some((t) => /Wall time: [\d.]+ (µs|ms|s)\n4 of 8 squares are even/.test(t)), "%time with -> binding");
  assert.ok(all.some((t) => t.includes("the shell runs in notebooks\nLinux")), "%%sh");
  const report = readFileSync(html, "utf8");
  assert.match(report, /<h1>A tour of the simlab kernel<\/h1>/);
  assert.match(report, /4 of 8 squares are even/);
});

test("simlab run stops at the first error, naming the cell and the error", async () => {
  const out = join(dir, "failing-out.ipynb");
  const run = await runCommand([process.execPath, simlabMain, "run", failing, "-o", out]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /simlab run: cell 1 \(throw new RangeError\('out of range: 42'\);\) failed: RangeError: out of range: 42/);
  const cells = codeCells(out);
  assert.equal(cells[1]!.outputs.some((o) => o.output_type === "error" && o.ename === "RangeError"), true);
  assert.deepEqual(cells[2]!.outputs, []);
  assert.equal(cells[2]!.execution_count, null);
});

test("Debian's nbconvert executes the tour with the installed kernel; errors are real error outputs", async () => {
  const prefix = join(dir, "prefix");
  const install = await runCommand([process.execPath, simlabMain, "install", "--prefix", prefix, "--name", "simlab-tour-test"]);
  assert.equal(install.code, 0, install.stderr);
  const env = { JUPYTER_PATH: join(prefix, "share", "jupyter") };
  const nbconvert = (input: string, extra: string[]) =>
    runCommand(
      ["/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=simlab-tour-test", "--ExecutePreprocessor.timeout=60", "--output-dir", dir, ...extra, input],
      { env },
    );
  const ok = await nbconvert(tour, ["--output", "tour-nbconvert"]);
  assert.equal(ok.code, 0, ok.stderr);
  const cells = codeCells(join(dir, "tour-nbconvert.ipynb"));
  const counts = cells.map((c) => c.execution_count);
  assert.deepEqual(counts, counts.map((_, i) => i + 1));
  assert.ok(cells.some((c) => c.outputs.some((o) => o.output_type === "execute_result" && joined(o.data["text/plain"]) === "85344")), "0² + … + 63²");

  const failed = await nbconvert(failing, ["--output", "failing-nbconvert", "--allow-errors"]);
  assert.equal(failed.code, 0, failed.stderr);
  const error = codeCells(join(dir, "failing-nbconvert.ipynb"))[1]!.outputs.find((o) => o.output_type === "error");
  assert.ok(error && error.output_type === "error", "an error output, not stderr text");
  assert.equal(error.ename, "RangeError");
  assert.equal(error.evalue, "out of range: 42");
  assert.ok(error.traceback.length > 0);
});
