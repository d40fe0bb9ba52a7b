/** Issue 14 item 8: 200k rows (past where Math.max(...array) overflowed the stack, ~130k) fit and evaluate. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { assignFolds } from "../../src/predict/evaluation/cv.js";
import { evaluatePredictions } from "../../src/predict/evaluation/evaluate.js";
import { fitTable } from "../../src/predict/fit-table.js";
import { maxOf, minOf } from "../../src/core/extremes.js";

const n = 200_000;

test("maxOf / minOf match Math.max / Math.min and take any number of values", () => {
  for (const values of [[], [3], [1, 5, 2], [-1, NaN, 4], [-Infinity, -Infinity]]) {
    assert.ok(Object.is(maxOf(values), Math.max(...values)), JSON.stringify(values));
    assert.ok(Object.is(minOf(values), Math.min(...values)), JSON.stringify(values));
  }
  const big = Float64Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_000); // a permutation of 0 … 999,999
  assert.throws(() => Math.max(...big), RangeError, "the failure being avoided");
  assert.equal(maxOf(big), 999_999);
  assert.equal(minOf(big), 0);
});

test("fitTable cross-validates 200,000 rows (kfold and group) without a stack overflow", async () => {
  const x = Float64Array.from({ length: n }, (_, i) => (i % 1000) / 1000);
  const data = table({ x, y: Float64Array.from(x, (v) => 1 + 2 * v), g: Array.from({ length: n }, (_, i) => `g${i % 7}`) });
  const kfold = await fitTable(data, { target: "y", features: ["x"], model: "linear", cv: "kfold" });
  assert.equal(kfold.folds, 5);
  assert.equal(kfold.predictions.numRows(), n);
  assert.ok(kfold.metrics.overall.r2 > 0.999);
  const grouped = assignFolds(n, "group", { groups: data.array("g") as string[], folds: 3 });
  assert.equal(maxOf(grouped), 2);
});

test("evaluatePredictions with 200,000 one-row groups reports the worst group", () => {
  const measured = Float64Array.from({ length: n }, (_, i) => i + 1);
  const group = Array.from({ length: n }, (_, i) => `g${i}`);
  const m = evaluatePredictions({ measured, predicted: measured, group });
  assert.equal(m.overall.groups, n);
  assert.equal(m.overall.worstBestRankPercent, 100); // one row: position 1 of 1
});
