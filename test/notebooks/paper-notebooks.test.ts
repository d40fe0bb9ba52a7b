import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadTable } from "../../src/data/load-table.js";
import type { Notebook } from "../../src/notebook/ipynb.js";
import { allFigures, cellStarting, codeCells, executionCounts, figureOf, finiteYs, htmlTableOf, numbers, runNotebook, shippedDataset, textOf } from "./helpers.js";

/** notebooks/reproduce-paper.ipynb and notebooks/feature-engineering.ipynb headless, from the shipped dataset. */
const dir = mkdtempSync(join(tmpdir(), "simlab-paper-notebooks-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function shippedGroups(): Promise<string[]> {
  const ok = (await loadTable(shippedDataset)).filter((d: { status: string }) => d.status === "ok");
  return [...new Set(Array.from(ok.array("group") as ArrayLike<string>))].sort();
}

function ranAll(nb: Notebook): void {
  assert.deepEqual(executionCounts(nb), codeCells(nb).map((_, i) => i + 1));
}

test("reproduce-paper: per-group rank of the fastest variant for every predictor, its figures, and the measure-the-top-k curve", async () => {
  const models = ["linear", "knn", "forest", "boosting"];
  const nb = (await runNotebook("reproduce-paper", join(dir, "paper.ipynb"), { params: { models: models.join(",") } })).notebook;
  ranAll(nb);
  const groups = await shippedGroups();

  const ranks = htmlTableOf(cellStarting(nb, "const names"));
  assert.deepEqual(ranks.columns, ["group", ...models]);
  assert.deepEqual(ranks.rows.map((r) => r[0]).sort(), groups, "one row per group of the shipped dataset");
  for (const m of models) {
    assert.ok(numbers(ranks, m).every((v) => v > 0 && v <= 100), `${m}: ranks in (0, 100]: ${numbers(ranks, m).join(", ")}`);
  }

  const summary = htmlTableOf(cellStarting(nb, "const summary"));
  assert.deepEqual(summary.rows.map((r) => r[0]).sort(), [...models].sort());
  const means = numbers(summary, "mean_rank_pct");
  assert.deepEqual(means, [...means].sort((a, b) => a - b), "ordered best first");
  for (const m of models) {
    const j = summary.rows.findIndex((r) => r[0] === m);
    const perGroup = numbers(ranks, m);
    const mean = perGroup.reduce((a, b) => a + b, 0) / perGroup.length;
    assert.ok(Math.abs(means[j]! - mean) < 0.02, `${m}: summary mean ${means[j]} vs per-group mean ${mean}`);
  }
  assert.ok(numbers(summary, "top1").every((v) => v > 0 && v <= 1), "top-1 on the runtime scale is a ratio in (0, 1]");
  const best = summary.rows[0]![0]!;
  assert.match(textOf(cellStarting(nb, "const summary").outputs), new RegExp(`Best: ${best}`));

  const bars = figureOf(cellStarting(nb, 'import { Figure'));
  assert.deepEqual(bars.data.map((t) => t.name), models);
  assert.ok(bars.data.every((t) => finiteYs(t).length === groups.length));
  const rankFigure = figureOf(cellStarting(nb, "%plot rank"));
  const shown = finiteYs(rankFigure.data[0]!);
  assert.equal(shown.length, groups.length);
  assert.ok(shown.every((v, i) => Math.abs(v - numbers(ranks, best)[i]!) < 0.01), "the rank figure shows the best predictor's column");

  const curveText = textOf(cellStarting(nb, "import { measurementCurveTable }").outputs);
  const k = [...curveText.matchAll(/k = (\d+): top-k predicted ([\d.]+), random ([\d.]+)/g)].map((m) => ({ k: +m[1]!, top: +m[2]!, random: +m[3]! }));
  assert.deepEqual(k.map((r) => r.k), [1, 3, 5, 10]);
  assert.ok(k.every((r) => r.top > 0 && r.top <= 1 && r.random > 0 && r.random <= 1), curveText);
  assert.ok(k.every((r, i) => i === 0 || (r.random >= k[i - 1]!.random && r.top >= k[i - 1]!.top)), "more measurements never find a slower best");
  const curve = figureOf(cellStarting(nb, "%plot curve"));
  assert.deepEqual(curve.data.map((t) => t.name).sort(), ["random", "top-k predicted"]);
  assert.ok(curve.data.every((t) => finiteYs(t).length >= 10));
  assert.equal(allFigures(nb).length, 3);
});

test("feature-engineering: importances and an ablation of instruction counts vs cache statistics", async () => {
  const nb = (await runNotebook("feature-engineering", join(dir, "features.ipynb"), { params: { ablationModel: "boosting" } })).notebook;
  ranAll(nb);
  const importance = figureOf(cellStarting(nb, "%plot importance"));
  const bars = importance.data[0]!;
  assert.ok(finiteYs({ y: bars.x }).length >= 5 && finiteYs({ y: bars.x }).every((v) => v >= 0), "importance bars");
  assert.ok((bars.y as string[]).every((f) => f.startsWith("cachegrind.kernel.")), "simulator features only (no knobs, no runtimes)");
  const sum = finiteYs({ y: bars.x }).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-6, `importances sum to 1 (${sum})`);
  assert.match(textOf(cellStarting(nb, "const ranked").outputs), /Most important: (\w+ [\d.]+ %, ){4}\w+ [\d.]+ %/);

  const ablation = htmlTableOf(cellStarting(nb, "import * as aq"));
  assert.deepEqual(ablation.rows.map((r) => r[0]), ["instructions only (Ir)", "cache statistics only", "instructions + cache", "all (+ branches, cost model)"]);
  const [ir, cache, both, all] = numbers(ablation, "count");
  assert.ok(ir === 1 && cache! >= 2 && both === cache! + 1 && all! >= both!, `feature counts ${[ir, cache, both, all]}`);
  const rank = numbers(ablation, "mean_rank_pct");
  const worst = numbers(ablation, "worst_rank_pct");
  const spearman = numbers(ablation, "spearman");
  assert.ok(rank.every((v, i) => v > 0 && v <= worst[i]! && worst[i]! <= 100), `ranks ${rank} worst ${worst}`);
  assert.ok(spearman.every((v) => v >= -1 && v <= 1));
  assert.ok(rank[0]! > rank[3]!, "the notebook's conclusion holds: instruction counts alone rank the fastest variant worse");
});
