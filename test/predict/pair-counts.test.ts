/**
 * Issue 14 item 8: Kendall's τ_b and pairwise accuracy in O(n log n) must equal their all-pairs definitions
 * exactly, ties included. The O(n²) reference implementations below are the definitions simlab used before.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pairCounts } from "../../src/predict/evaluation/pair-counts.js";
import { kendallTauB, pairwiseAccuracy, spearman } from "../../src/predict/evaluation/ranking.js";
import { Random } from "../../src/core/random.js";

function kendallAllPairs(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = y.length;
  let concordant = 0, discordant = 0, tiedY = 0, tiedP = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dy = Math.sign(y[i]! - y[j]!), dp = Math.sign(p[i]! - p[j]!);
      if (dy === 0) tiedY++;
      if (dp === 0) tiedP++;
      if (dy !== 0 && dp !== 0) {
        if (dy === dp) concordant++;
        else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - tiedY) * (n0 - tiedP));
  return denominator === 0 ? NaN : (concordant - discordant) / denominator;
}

function pairwiseAllPairs(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let pairs = 0, score = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) {
      const dy = Math.sign(y[i]! - y[j]!);
      if (dy === 0) continue;
      pairs++;
      const dp = Math.sign(p[i]! - p[j]!);
      score += dp === 0 ? 0.5 : dp === dy ? 1 : 0;
    }
  }
  return pairs === 0 ? NaN : score / pairs;
}

const same = (actual: number, expected: number, what: string) =>
  assert.ok(Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) <= 1e-12, `${what}: ${actual} ≠ ${expected}`);

test("τ_b and pairwise accuracy equal the all-pairs definitions on random data with ties", () => {
  const rng = new Random(14);
  for (let trial = 0; trial < 300; trial++) {
    const n = Math.floor(rng.next() * 60);
    const levelsY = 1 + Math.floor(rng.next() * 12), levelsP = 1 + Math.floor(rng.next() * 12); // few levels: many ties
    const y = Float64Array.from({ length: n }, () => Math.floor(rng.next() * levelsY) * 0.5 - 2);
    const p = Float64Array.from({ length: n }, (_, i) => (rng.next() < 0.5 ? y[i]! + Math.floor(rng.next() * levelsP) : Math.floor(rng.next() * levelsP)));
    same(kendallTauB(y, p), kendallAllPairs(y, p), `τ_b trial ${trial} (n ${n})`);
    same(pairwiseAccuracy(y, p), pairwiseAllPairs(y, p), `pairwise trial ${trial} (n ${n})`);
    const counts = pairCounts(y, p); // what evaluate.ts shares between the three
    same(kendallTauB(y, p, counts), kendallAllPairs(y, p), `τ_b from shared counts, trial ${trial}`);
    same(spearman(y, p, counts), spearman(y, p), `Spearman from shared sorts, trial ${trial}`);
  }
});

test("continuous values, edge sizes and constant inputs agree too; NaN inputs give NaN", () => {
  const rng = new Random(3);
  const y = Float64Array.from({ length: 500 }, () => rng.next());
  const p = Float64Array.from(y, (v) => v + 0.3 * rng.next());
  same(kendallTauB(y, p), kendallAllPairs(y, p), "τ_b continuous");
  same(pairwiseAccuracy(y, p), pairwiseAllPairs(y, p), "pairwise continuous");
  for (const [yy, pp] of [[[], []], [[1], [2]], [[1, 2], [3, 3]], [[2, 2, 2], [1, 2, 3]], [[1, 2, 3], [3, 2, 1]]] as number[][][]) {
    same(kendallTauB(yy!, pp!), kendallAllPairs(yy!, pp!), `τ_b ${JSON.stringify([yy, pp])}`);
    same(pairwiseAccuracy(yy!, pp!), pairwiseAllPairs(yy!, pp!), `pairwise ${JSON.stringify([yy, pp])}`);
  }
  assert.ok(Number.isNaN(kendallTauB([1, 2, 3], [1, NaN, 3])));
  assert.ok(Number.isNaN(pairwiseAccuracy([1, NaN, 3], [1, 2, 3])));
});

test("200,000 rows: both run (the all-pairs versions would compare 2·10¹⁰ pairs) and stay exact on a known case", () => {
  const n = 200_000;
  const y = Float64Array.from({ length: n }, (_, i) => i);
  const reversed = Float64Array.from(y, (v) => n - v);
  assert.equal(kendallTauB(y, y), 1);
  assert.equal(kendallTauB(y, reversed), -1);
  assert.equal(pairwiseAccuracy(y, reversed), 0);
  // p = y with every pair of neighbours (2k, 2k+1) tied: n/2 ties in p, every other pair concordant.
  const paired = Float64Array.from(y, (v) => Math.floor(v / 2));
  const pairs = (n * (n - 1)) / 2, tiedP = n / 2;
  assert.equal(pairwiseAccuracy(y, paired), (pairs - tiedP + 0.5 * tiedP) / pairs);
  same(kendallTauB(y, paired), (pairs - tiedP) / Math.sqrt(pairs * (pairs - tiedP)), "τ_b with neighbour ties");
});
