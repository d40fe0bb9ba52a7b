import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readJson, repoRoot, runCommand, simlabMain } from "./cli-helpers.js";

/**
 * The runner's client against a Jupyter kernel that is not ours (stock tslab, installed as a kernelspec and
 * chosen with --kernel-name): connection file, signing, IOPub, parameters, and timeouts by SIGINT.
 */
const dir = mkdtempSync(join(tmpdir(), "simlab-run-tslab-"));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "jupyter", "kernels", "stock-tslab"), { recursive: true });
writeFileSync(
  join(dir, "jupyter", "kernels", "stock-tslab", "kernel.json"),
  JSON.stringify({ argv: [join(repoRoot, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"], display_name: "tslab", language: "typescript" }),
);
const env = { JUPYTER_PATH: join(dir, "jupyter") };

function writeNotebook(name: string, cells: { source: string; tags?: string[] }[]): string {
  const path = join(dir, name);
  const nbCells = cells.map((c) => ({ cell_type: "code", metadata: c.tags ? { tags: c.tags } : {}, source: c.source, outputs: [], execution_count: null }));
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: "# t" }, ...nbCells] }));
  return path;
}

test("simlab run --kernel-name executes through an installed kernelspec, with parameters", async () => {
  const input = writeNotebook("params.ipynb", [
    { source: "const size = 1;\nconst label = 'default';", tags: ["parameters"] },
    { source: "console.log(size * 2, typeof size, label, process.cwd());" },
  ]);
  const output = join(dir, "params-out.ipynb");
  const run = await runCommand([process.execPath, simlabMain, "run", input, "-o", output, "-p", "size=21", "-p", "label=from cli", "--kernel-name", "stock-tslab"], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[3\/3\] ok .* cell 3: console\.log/);
  const nb = readJson(output);
  assert.equal(nb.nbformat_minor, 5);
  assert.deepEqual(nb.cells[2]!.metadata.tags, ["injected-parameters"]);
  const last = nb.cells[3]!;
  assert.equal(last.cell_type, "code");
  if (last.cell_type !== "code") return;
  assert.deepEqual(last.outputs, [{ output_type: "stream", name: "stdout", text: `42 number from cli ${dir}\n` }]);
  assert.deepEqual(nb.cells.flatMap((c) => (c.cell_type === "code" ? [c.execution_count] : [])), [1, 2, 3]);
});

test("a cell over --timeout is interrupted and the run fails naming it", async () => {
  const input = writeNotebook("slow.ipynb", [{ source: "console.log('start')" }, { source: "while (true) {}" }, { source: "console.log('never')" }]);
  const run = await runCommand([process.execPath, simlabMain, "run", input, "--timeout", "1", "--kernel-name", "stock-tslab"], { env });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /simlab run: cell 2 \(while \(true\) \{\}\) failed: SimlabError: the cell did not finish within 1 s and was interrupted/);
  assert.ok(!run.stderr.includes("never"));
  assert.ok(run.ms < 20_000, `took ${run.ms} ms`);
});

test("bad command lines are one-line errors with the usage", async () => {
  const run = await runCommand([process.execPath, simlabMain, "run", "x.ipynb", "--timeout", "soon"]);
  assert.equal(run.code, 1);
  assert.equal(run.stderr.split("\n")[0], "simlab run: option --timeout expects a number, got 'soon'");
  const missing = await runCommand([process.execPath, simlabMain, "run", join(dir, "none.ipynb")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read .*none\.ipynb: ENOENT/);
  const help = await runCommand([process.execPath, simlabMain, "run", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: simlab run \[-o OUTPUT\] \[--html HTML\] \[--figures FIGURES\] \[-p PARAMETER \.\.\.\]/);
});
