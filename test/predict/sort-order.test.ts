/** The radix index sort behind the ranking metrics equals a stable comparator sort (ties, signs, ±0, ±∞). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { averageRanks, predictedOrder } from "../../src/predict/evaluation/ranking.js";
import { sortedBy } from "../../src/predict/evaluation/sort-order.js";
import { Random } from "../../src/core/random.js";

const comparatorOrder = (keys: ArrayLike<number>, order: number[]) => [...order].sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));

test("sortedBy is a stable ascending sort of row positions", () => {
  const rng = new Random(7);
  const pool = [0, -0, 1, -1, 0.5, -0.5, 1e300, -1e300, 5e-324, -5e-324, Infinity, -Infinity, 3, 3, 2.25];
  for (let trial = 0; trial < 200; trial++) {
    const n = rng.int(300);
    const keys = Float64Array.from({ length: n }, () => (rng.next() < 0.5 ? pool[rng.int(pool.length)]! : (rng.next() - 0.5) * 10 ** rng.int(8)));
    const identity = Array.from({ length: n }, (_, i) => i);
    assert.deepEqual(Array.from(sortedBy(keys)), comparatorOrder(keys, identity), `trial ${trial}`);
    const shuffled = new Random(trial).shuffle(Uint32Array.from(identity));
    assert.deepEqual(Array.from(sortedBy(keys, shuffled)), comparatorOrder(keys, Array.from(shuffled)), `stable, trial ${trial}`);
  }
  assert.deepEqual(Array.from(sortedBy([NaN, 1, -Infinity])), [2, 1, 0], "NaN last");
});

test("predictedOrder and averageRanks keep their definitions (pessimistic ties, shared ranks)", () => {
  const rng = new Random(11);
  for (let trial = 0; trial < 100; trial++) {
    const n = rng.int(80);
    const y = Float64Array.from({ length: n }, () => rng.int(6));
    const p = Float64Array.from({ length: n }, () => rng.int(4) - 2);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]! || y[b]! - y[a]!);
    assert.deepEqual(predictedOrder(y, p), expected, `trial ${trial}`);
    const ranks = averageRanks(y);
    for (let i = 0; i < n; i++) {
      let below = 0, equal = 0;
      for (let j = 0; j < n; j++) (y[j]! < y[i]! ? below++ : y[j] === y[i] ? equal++ : 0);
      assert.equal(ranks[i], below + (equal + 1) / 2, `rank of row ${i}, trial ${trial}`);
    }
  }
});
