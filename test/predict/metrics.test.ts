import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluatePredictions } from "../../src/predict/evaluation/evaluate.js";
import { mae, mape, r2, rmse } from "../../src/predict/evaluation/metrics.js";
import { averageRanks, bestRankPercent, kendallTauB, pairwiseAccuracy, predictedOrder, spearman, topKScore } from "../../src/predict/evaluation/ranking.js";

const close = (actual: number, expected: number, eps = 1e-9) => assert.ok(Math.abs(actual - expected) < eps, `${actual} ≠ ${expected}`);

// Example A (with ties in the prediction): y = [1, 2, 3, 4], p = [2, 2, 2, 6].
const yA = [1, 2, 3, 4], pA = [2, 2, 2, 6];

test("error metrics on example A, by hand", () => {
  // |y − p| = [1, 0, 1, 2] → MAE = 4 / 4 = 1
  close(mae(yA, pA), 1);
  // MAPE = 100/4 · (1/1 + 0/2 + 1/3 + 2/4) = 25 · 11/6 = 45.8333…
  close(mape(yA, pA), (25 * 11) / 6);
  // RMSE = √((1 + 0 + 1 + 4) / 4) = √1.5
  close(rmse(yA, pA), Math.sqrt(1.5));
  // ȳ = 2.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5, SS_res = 6 → R² = 1 − 6/5 = −0.2
  close(r2(yA, pA), -0.2);
});

test("error metrics: perfect predictions and undefined cases", () => {
  close(r2([1, 2, 3], [1, 2, 3]), 1);
  assert.ok(Number.isNaN(r2([2, 2], [1, 3])), "R² of a constant target is undefined");
  assert.ok(Number.isNaN(mape([0, 1], [1, 1])), "MAPE with a zero measurement is undefined");
});

test("average ranks share ties", () => {
  // sorted: 5 (rank 1), 10 (rank 2), 20, 20 (ranks 3 and 4 → 3.5 each)
  assert.deepEqual(Array.from(averageRanks([10, 20, 20, 5])), [2, 3.5, 3.5, 1]);
});

test("ranking metrics on example A, by hand", () => {
  // ranks y = [1, 2, 3, 4], ranks p = [2, 2, 2, 4]; deviations from 2.5: [−1.5, −0.5, 0.5, 1.5] and
  // [−0.5, −0.5, −0.5, 1.5] → Σab = 0.75 + 0.25 − 0.25 + 2.25 = 3, Σa² = 5, Σb² = 3 → ρ = 3 / √15
  close(spearman(yA, pA), 3 / Math.sqrt(15));
  // pairs (i<j): y always increasing; p ties on (0,1) (0,2) (1,2), concordant on (0,3) (1,3) (2,3)
  // n_c = 3, n_d = 0, n₀ = 6, n₁ = 0, n₂ = 3 → τ_b = 3 / √(6 · 3) = 1/√2
  close(kendallTauB(yA, pA), 1 / Math.sqrt(2));
  // 6 pairs with distinct y: three ties (½ each) + three correct → 4.5 / 6
  close(pairwiseAccuracy(yA, pA), 0.75);
  // pessimistic ordering: rows 0, 1, 2 tie at p = 2 → larger measured first: 2, 1, 0, then 3
  assert.deepEqual(predictedOrder(yA, pA), [2, 1, 0, 3]);
  // truly fastest = row 0 (y = 1) at position 3 of 4 → 75 %
  close(bestRankPercent(yA, pA), 75);
  // top-1 = row 2 (y = 3) → 1/3; top-2 = rows 2, 1 → best 2 → 1/2; top-5 covers all → 1
  close(topKScore(yA, pA, 1), 1 / 3);
  close(topKScore(yA, pA, 2), 1 / 2);
  close(topKScore(yA, pA, 5), 1);
});

// Example B (discordant, no ties): y = [3, 1, 2], p = [1, 2, 3].
test("ranking metrics on example B, by hand", () => {
  const y = [3, 1, 2], p = [1, 2, 3];
  // ranks y = [3, 1, 2], ranks p = [1, 2, 3]; deviations [1, −1, 0] and [−1, 0, 1] → Σab = −1, Σa² = Σb² = 2 → −½
  close(spearman(y, p), -0.5);
  // (0,1): y down, p up → discordant; (0,2): discordant; (1,2): both up → concordant → (1 − 2) / 3
  close(kendallTauB(y, p), -1 / 3);
  close(pairwiseAccuracy(y, p), 1 / 3);
  // predicted order 0, 1, 2; truly fastest row 1 is 2nd of 3 → 66.67 %
  close(bestRankPercent(y, p), 200 / 3);
  // top-1 picks row 0 (y = 3): 1/3
  close(topKScore(y, p, 1), 1 / 3);
  close(topKScore(y, p, 5), 1);
});

test("perfect ranking scores", () => {
  const y = [5, 1, 3, 2, 4], p = [50, 10, 30, 20, 40];
  close(spearman(y, p), 1);
  close(kendallTauB(y, p), 1);
  close(pairwiseAccuracy(y, p), 1);
  close(bestRankPercent(y, p), 20); // position 1 of 5
  close(topKScore(y, p, 1), 1);
});

test("evaluate: per group and overall (pooled errors, mean of group rankings)", () => {
  const m = evaluatePredictions({
    measured: [...yA, 3, 1, 2],
    predicted: [...pA, 1, 2, 3],
    group: ["a", "a", "a", "a", "b", "b", "b"],
  });
  assert.deepEqual(m.groups.map((g) => g.group), ["a", "b"]);
  const [a, b] = m.groups as [typeof m.groups[0], typeof m.groups[0]];
  close(a.mae, 1);
  close(b.mae, 4 / 3); // |3−1| + |1−2| + |2−3| = 4 over 3
  close(m.overall.mae, (4 + 4) / 7);
  close(m.overall.spearman, (3 / Math.sqrt(15) - 0.5) / 2);
  close(m.overall.bestRankPercent, (75 + 200 / 3) / 2);
  close(m.overall.worstBestRankPercent, 75);
  close(m.overall.top1, (1 / 3 + 1 / 3) / 2);
  assert.equal(m.overall.groups, 2);
  assert.equal(m.overall.n, 7);
});
