import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { fitTable } from "../../src/predict/index.js";
import { predictedVsMeasured, residuals, bestRank, featureImportance } from "../../src/plot/index.js";

// The figures take %fit's result (predictions, metrics.groups, featureImportance) as it is.
test("figures from a real fitTable result", async () => {
  const n = 60;
  const tile = Array.from({ length: n }, (_, i) => 2 ** (i % 5));
  const misses = Array.from({ length: n }, (_, i) => 1000 + ((i * 37) % 101) * 50);
  const instructions = Array.from({ length: n }, (_, i) => 1e5 + ((i * 13) % 17) * 1e4);
  const data = table({
    workload: Array.from({ length: n }, (_, i) => ["gemm", "mvm", "conv2d"][i % 3]),
    order: Array.from({ length: n }, (_, i) => (i % 2 ? "ijk" : "ikj")),
    tile,
    "cachegrind.kernel.D1mr": misses,
    "cachegrind.kernel.Ir": instructions,
    runtime_min_s: misses.map((m, i) => 1e-6 * (m * 10 + instructions[i]! / 10)),
  });
  const fit = await fitTable(data, { target: "runtime_min_s", group: "workload", model: "tree", cv: "logo", features: ["cachegrind.kernel.D1mr", "cachegrind.kernel.Ir"], keep: ["order", "tile"] });
  const pred = predictedVsMeasured(fit);
  assert.equal(pred.points, n);
  assert.deepEqual(pred.data.slice(0, 3).map((d) => d.name).sort(), ["conv2d", "gemm", "mvm"]);
  assert.match((pred.data[0]!.text as string[])[0]!, /order=ikj · tile=1/);
  assert.equal(residuals(fit).points, n);
  const rank = bestRank(fit);
  assert.deepEqual(rank.data[0]!.y, fit.metrics.groups.map((g) => g.bestRankPercent));
  assert.deepEqual(bestRank(fit.metrics).data[0]!.y, rank.data[0]!.y);
  assert.ok(fit.featureImportance, "the tree defines importances");
  const importance = featureImportance(fit);
  assert.deepEqual([...(importance.data[0]!.y as string[])].sort(), ["cachegrind.kernel.D1mr", "cachegrind.kernel.Ir"]);
});
