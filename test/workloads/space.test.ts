import { test } from "node:test";
import assert from "node:assert/strict";
import { grid, gridSize, sample } from "../../src/workloads/index.js";
import { isSimlabError } from "../../src/core/errors.js";

const space = { M: [64, 128], order: ["ijk", "ikj", "kij"], unroll: [1, 4] } as const;

test("grid is the full cartesian product in stable order, last knob fastest", () => {
  const points = grid(space);
  assert.equal(points.length, 12);
  assert.equal(gridSize(space), 12);
  assert.deepEqual(points[0], { M: 64, order: "ijk", unroll: 1 });
  assert.deepEqual(points[1], { M: 64, order: "ijk", unroll: 4 });
  assert.deepEqual(points[11], { M: 128, order: "kij", unroll: 4 });
  assert.equal(new Set(points.map((p) => JSON.stringify(p))).size, 12);
  assert.deepEqual(grid(space), points);
});

test("sample is seeded, distinct, inside the grid, and the whole grid when n is large", () => {
  const a = sample(space, 5, 42);
  assert.deepEqual(sample(space, 5, 42), a);
  assert.equal(a.length, 5);
  const all = new Set(grid(space).map((p) => JSON.stringify(p)));
  assert.equal(new Set(a.map((p) => JSON.stringify(p))).size, 5);
  for (const p of a) assert.ok(all.has(JSON.stringify(p)));
  const seeds = new Set([1, 2, 3, 4, 5].map((s) => JSON.stringify(sample(space, 5, s))));
  assert.ok(seeds.size > 1, "different seeds give different samples");
  assert.equal(sample(space, 100, 1).length, 12);
});

test("sampling a huge space does not enumerate it", () => {
  const big = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, Array.from({ length: 20 }, (_, v) => v)]));
  const started = performance.now();
  const points = sample(big, 50, 7);
  assert.equal(points.length, 50);
  assert.ok(performance.now() - started < 500);
});

test("a knob without values is a clear error", () => {
  assert.throws(() => grid({ M: [], N: [1] }), (e) => isSimlabError(e) && /'M'/.test(e.message));
});
