import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadTable } from "../../src/data/load-table.js";
import type { Notebook } from "../../src/notebook/ipynb.js";
import { readJson } from "../notebook/cli-helpers.js";
import { renderReport } from "./report-in-browser.js";
import {
  allFigures,
  allText,
  cellStarting,
  codeCells,
  executionCounts,
  figureOf,
  finiteYs,
  htmlTableOf,
  nodeOnlyPath,
  notebooksDir,
  numbers,
  runCommand,
  runNotebook,
  shippedDataset,
  simlabMain,
  textOf,
} from "./helpers.js";

/**
 * notebooks/quickstart.ipynb headless through the simlab kernel: the live sweep with real gcc + valgrind,
 * the fallback to the shipped dataset on a PATH without them, and Debian's nbconvert with the installed kernel.
 * The HTML report of the live run is opened in headless Chromium (report-in-browser.ts).
 */
const dir = mkdtempSync(join(tmpdir(), "simlab-quickstart-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "quickstart.db"); // the live sweep's store; nbconvert reuses it (every point cached)
const counts = (nb: Notebook) => executionCounts(nb);
const oneToN = (nb: Notebook) => codeCells(nb).map((_, i) => i + 1);

const report = join(dir, "quickstart.html");
let live: Notebook;
before(async () => {
  live = (await runNotebook("quickstart", join(dir, "live.ipynb"), { html: report, env: { SIMLAB_QUICKSTART_DB: store } })).notebook;
});

test("the live quickstart sweeps 24 GEMM variants with native timing and cachegrind and ranks them with a model trained on the shipped dataset", async () => {
  const shipped = (await loadTable(shippedDataset)).filter((d: { status: string }) => d.status === "ok");
  const shippedGroups = new Set(Array.from(shipped.array("group") as ArrayLike<string>)).size;
  const total = shipped.numRows() + 24;
  assert.deepEqual(counts(live), oneToN(live));
  assert.match(allText(live), /Live sweep: gcc .*, valgrind-\d/);
  assert.match(textOf(cellStarting(live, "import { mkdirSync }").outputs), /48\/48 · 48 done · 0 failed[\s\S]*48 runs: 48 done, 0 cached, 0 failed/);

  const wide = cellStarting(live, "const data = ");
  assert.match(textOf(wide.outputs), new RegExp(`Live sweep \\(24 variants\\) \\+ shipped dataset: ${total} variants in ${shippedGroups + 2} groups`));
  const table = htmlTableOf(wide);
  assert.ok(table.rows.length >= 5, `rows shown: ${table.rows.length}`);
  for (const column of ["runtime_min_s", "cachegrind.kernel.Ir", "cachegrind.kernel.D1mr"]) {
    assert.ok(numbers(table, column).every((v) => v > 0), `${column} is a positive number in every row shown`);
  }
  assert.ok(numbers(table, "runtime_min_s").every((s) => s < 0.1), "GEMM 160/320 × 128 × 128 runs in well under 0.1 s");
  const groups = new Set(table.rows.map((r) => r[table.columns.indexOf("group")]));
  assert.ok([...groups].every((g) => /^gemm M=(160|320) N=128 K=128$/.test(g!)), [...groups].join(", "));

  // The default %fit: the simulator recipe, the default model, and the baselines on the same folds, per group.
  const fitText = textOf(cellStarting(live, "%fit").outputs);
  assert.match(fitText, new RegExp(`boosting on \\d+ features → runtime_min_s \\(log-relative\\), logo CV with ${shippedGroups + 2} folds, ${total} rows`));
  assert.match(fitText, /group +boosting +Ir +Ir\+10·L1miss +costmodel/);
  for (const live of ["gemm M=160 N=128 K=128", "gemm M=320 N=128 K=128"]) {
    assert.match(fitText, new RegExp(`${live} +[\\d.]+ / [\\d.]+ +[\\d.]+ / [\\d.]+ +[\\d.]+ / [\\d.]+ +[\\d.]+ / [\\d.]+`), `a row for the live group ${live}`);
  }
  const metrics = textOf(cellStarting(live, "%eval").outputs);
  const rank = /best variant at ([\d.]+) % of its group on average/.exec(metrics);
  assert.ok(rank && Number(rank[1]) > 0 && Number(rank[1]) <= 100, metrics);

  const pred = figureOf(cellStarting(live, "%plot pred"));
  const points = pred.data.filter((t) => t.mode === "markers").reduce((n, t) => n + finiteYs(t).length, 0);
  assert.equal(points, total, "one marker per variant");
  const rankFigure = figureOf(cellStarting(live, "%plot rank"));
  assert.equal(finiteYs(rankFigure.data[0]!).length, shippedGroups + 2, "one bar per group");
  // Lean notebooks (issue 12): figures carry their JSON and a PNG, never plotly.js itself.
  const bytes = statSync(join(dir, "live.ipynb")).size;
  assert.ok(bytes <= 1_000_000, `the executed quickstart is ${bytes} bytes (at most 1 MB)`);
  assert.doesNotMatch(JSON.stringify(live), /plotly\.js v\d+\.\d+\.\d+/, "plotly.js is not inlined");
});

test("the HTML report renders offline in headless Chromium: every plotly figure drew its points", async () => {
  const seen = await renderReport(report, join(dir, "quickstart.png"), allFigures(live).length);
  if (process.env.SIMLAB_KEEP_SCREENSHOT) copyFileSync(join(dir, "quickstart.png"), process.env.SIMLAB_KEEP_SCREENSHOT);
  assert.deepEqual(seen.blockedRequests, [], "the report needs nothing from the network");
  assert.equal(seen.figures.length, allFigures(live).length, "one drawn plot per figure output");
  assert.ok(seen.figures.every((f) => f.svg && f.points > 0), JSON.stringify(seen.figures));
  const shipped = (await loadTable(shippedDataset)).filter((d: { status: string }) => d.status === "ok");
  assert.equal(seen.figures[0]!.points, shipped.numRows() + 24, "the predicted-vs-measured plot draws one point per variant");
  assert.ok(seen.nonWhiteFraction > 0.02, `non-white pixels: ${(100 * seen.nonWhiteFraction).toFixed(2)} %`);
});

test("without gcc and valgrind the quickstart says so and uses the shipped dataset", async () => {
  const path = nodeOnlyPath(dir);
  const nb = (await runNotebook("quickstart", join(dir, "fallback.ipynb"), { env: { PATH: path, SIMLAB_QUICKSTART_DB: join(dir, "unused.db") } })).notebook;
  assert.deepEqual(counts(nb), oneToN(nb));
  assert.match(allText(nb), /No live sweep \(C compiler 'gcc' not found.*; valgrind not found.*\): using the shipped dataset \.\.\/datasets\/paper\.csv instead\./);
  const shipped = (await loadTable(shippedDataset)).filter((d: { status: string }) => d.status === "ok");
  const groups = new Set(Array.from(shipped.array("group") as ArrayLike<string>)).size;
  assert.match(textOf(cellStarting(nb, "const data = ").outputs), new RegExp(`Shipped dataset: ${shipped.numRows()} variants in ${groups} groups`));
  const points = figureOf(cellStarting(nb, "%plot pred")).data.filter((t) => t.mode === "markers").reduce((n, t) => n + finiteYs(t).length, 0);
  assert.equal(points, shipped.numRows());
});

test("Debian's nbconvert executes the quickstart with the installed kernel; outputs carry execution counts", async () => {
  const prefix = join(dir, "prefix");
  const install = await runCommand([process.execPath, simlabMain, "install", "--prefix", prefix, "--name", "simlab-quickstart-test"]);
  assert.equal(install.code, 0, install.stderr);
  const run = await runCommand(
    [
      "/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute",
      "--ExecutePreprocessor.kernel_name=simlab-quickstart-test", "--ExecutePreprocessor.timeout=150",
      "--output-dir", dir, "--output", "nbconvert", join(notebooksDir, "quickstart.ipynb"),
    ],
    { env: { JUPYTER_PATH: join(prefix, "share", "jupyter"), SIMLAB_QUICKSTART_DB: store }, timeoutMs: 170_000 },
  );
  assert.equal(run.code, 0, run.stderr.slice(-3000));
  const nb = readJson(join(dir, "nbconvert.ipynb"));
  assert.deepEqual(counts(nb), oneToN(nb));
  assert.match(allText(nb), /48 runs: 0 done, 48 cached, 0 failed/, "the store of the first run is reused");
  assert.match(allText(nb), /Live sweep \(24 variants\) \+ shipped dataset/);
  assert.equal(allFigures(nb).length, 2);
  const result = cellStarting(nb, "%plot pred").outputs.find((o) => o.output_type === "execute_result");
  assert.ok(result && result.output_type === "execute_result" && typeof result.execution_count === "number");
});
