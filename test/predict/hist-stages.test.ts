import assert from "node:assert/strict";
import { test } from "node:test";
import { TreeGrower, type GrowParams } from "../../src/predict/hist/grower.js";
import { Histogram } from "../../src/predict/hist/histogram.js";
import { SMALL_NODE, type SplitInfo, findBestSplit, findBestSplitSmall } from "../../src/predict/hist/splitting.js";
import { Random, range } from "../../src/predict/random.js";

/** Random bin codes: feature f takes `distinct[f]` codes spread over 0..254, so some bins stay empty. */
function randomCodes(rng: Random, rows: number, distinct: readonly number[]): Uint8Array[] {
  return distinct.map((k) => {
    const step = Math.floor(255 / k);
    return Uint8Array.from({ length: rows }, () => rng.int(k) * step);
  });
}

function randomValues(rng: Random, rows: number): Float64Array {
  return Float64Array.from({ length: rows }, () => rng.normal() * 3 + 1);
}

/** n sample ids drawn with repeats (bootstrap copies), as the grower may see them. */
function bootstrap(rng: Random, rows: number, n: number): Uint32Array {
  return Uint32Array.from({ length: n }, () => rng.int(rows));
}

function built(codes: Uint8Array[], values: Float64Array, ids: Uint32Array): Histogram {
  const h = new Histogram(codes.length);
  h.build(codes, values, ids, 0, ids.length, new Float64Array(ids.length));
  return h;
}

test("histogram subtraction: parent − one child equals the other child's histogram built directly", () => {
  const rng = new Random(11);
  const rows = 400;
  const codes = randomCodes(rng, rows, [255, 40, 3, 1, 17]);
  // Integer values: every sum is exact, so the two histograms must agree bit for bit.
  const values = Float64Array.from({ length: rows }, () => rng.int(21) - 10);
  for (const cut of [1, 37, 150, 299]) {
    const ids = bootstrap(rng, rows, 300);
    const parent = built(codes, values, ids);
    const left = built(codes, values, ids.subarray(0, cut));
    const right = built(codes, values, ids.subarray(cut));
    parent.subtract(left);
    assert.deepEqual(Array.from(parent.data), Array.from(right.data), `cut at ${cut}`);
  }
});

/** Gain of "code ≤ bin goes left" on feature f, straight from the samples (the definition in splitting.ts). */
function bruteForceBest(codes: Uint8Array[], values: Float64Array, ids: Uint32Array, minLeaf: number, l2: number) {
  let sum = 0;
  for (const id of ids) sum += values[id]!;
  const parentScore = (sum * sum) / (ids.length + l2);
  let best = { gain: 0, feature: -1, leftCount: 0 };
  codes.forEach((col, f) => {
    for (let bin = 0; bin < 255; bin++) {
      let gl = 0, hl = 0;
      for (const id of ids) {
        if (col[id]! > bin) continue;
        gl += values[id]!;
        hl++;
      }
      const hr = ids.length - hl;
      if (hl < minLeaf || hr < minLeaf) continue;
      const gain = (gl * gl) / (hl + l2) + ((sum - gl) * (sum - gl)) / (hr + l2) - parentScore;
      if (gain > best.gain * (1 + 1e-12) + 1e-12) best = { gain, feature: f, leftCount: hl };
    }
  });
  return best;
}

/** The split must send left exactly the samples with code ≤ bin, and the bin must lie in the gap it splits. */
function assertConsistent(split: SplitInfo, codes: Uint8Array[], ids: Uint32Array): void {
  const col = codes[split.feature]!;
  const left = Array.from(ids).filter((id) => col[id]! <= split.bin).length;
  assert.equal(left, split.leftCount);
  const below = Math.max(...Array.from(ids, (id) => col[id]!).filter((c) => c <= split.bin));
  const above = Math.min(...Array.from(ids, (id) => col[id]!).filter((c) => c > split.bin));
  assert.ok(below <= split.bin && split.bin < above);
}

test("split search: the histogram scan finds the best of all thresholds by brute force", () => {
  const rng = new Random(12);
  const rows = 300;
  for (let trial = 0; trial < 40; trial++) {
    const minLeaf = [1, 2, 5, 20][trial % 4]!, l2 = trial % 3 === 0 ? 2.5 : 0;
    const codes = randomCodes(rng, rows, [255, 9, 2, 60]);
    const values = randomValues(rng, rows);
    const ids = bootstrap(rng, rows, 2 * minLeaf + 10 + rng.int(150));
    let sum = 0;
    for (const id of ids) sum += values[id]!;
    const split = findBestSplit(built(codes, values, ids), sum, ids.length, range(codes.length), { minSamplesLeaf: minLeaf, l2 })!;
    const best = bruteForceBest(codes, values, ids, minLeaf, l2);
    assert.ok(best.feature >= 0);
    assert.equal(split.feature, best.feature);
    assert.equal(split.leftCount, best.leftCount);
    assert.ok(Math.abs(split.gain - best.gain) <= 1e-9 * best.gain);
    assertConsistent(split, codes, ids);
  }
});

test("split search: a small node's sort-based search equals the histogram scan", () => {
  const rng = new Random(13);
  const rows = 100;
  const keys = new Int32Array(SMALL_NODE), ordered = new Float64Array(SMALL_NODE);
  let compared = 0;
  for (let trial = 0; trial < 300; trial++) {
    const codes = randomCodes(rng, rows, [255, 2 + rng.int(6), 1 + rng.int(3), 30]);
    const values = randomValues(rng, rows);
    const n = 2 + rng.int(SMALL_NODE - 1);
    const ids = bootstrap(rng, rows, n);
    let sum = 0;
    for (const id of ids) sum += values[id]!;
    const monotonic = trial % 3 === 0 ? Int8Array.from([1, -1, 0, 1]) : undefined;
    const bounds = monotonic && trial % 2 === 0 ? { lower: -1, upper: 2 } : undefined;
    const c = { minSamplesLeaf: 1 + rng.int(3), l2: trial % 4 === 1 ? 1.5 : 0, ...(monotonic ? { monotonic } : {}) };
    const hist = built(codes, values, ids);
    // Feature by feature: the same split. (Over all features at once, two features that cut the node into the
    // same two halves tie, and which one wins may differ in the last bit of the gain.)
    for (let f = 0; f < codes.length; f++) {
      const general = findBestSplit(hist, sum, n, [f], c, bounds);
      const small = findBestSplitSmall(codes, values, ids, 0, n, sum, [f], c, keys, ordered, bounds);
      assert.equal(small === undefined, general === undefined, `trial ${trial}, feature ${f}: one search found a split, the other none`);
      if (!general || !small) continue;
      compared++;
      for (const k of ["feature", "bin", "leftCount"] as const) assert.equal(small[k], general[k], `trial ${trial}, feature ${f}: ${k}`);
      for (const k of ["gain", "leftSum", "leftValue", "rightValue"] as const) {
        assert.ok(Math.abs(small[k] - general[k]) <= 1e-9 * (1 + Math.abs(general[k])), `trial ${trial}, feature ${f}: ${k} ${small[k]} vs ${general[k]}`);
      }
    }
    const general = findBestSplit(hist, sum, n, range(4), c, bounds);
    const small = findBestSplitSmall(codes, values, ids, 0, n, sum, range(4), c, keys, ordered, bounds);
    assert.ok(Math.abs((small?.gain ?? 0) - (general?.gain ?? 0)) <= 1e-9 * (1 + (general?.gain ?? 0)), `trial ${trial}: best gain`);
  }
  assert.ok(compared > 600, `only ${compared} (trial, feature) pairs had a split`);
});

const unlimited: GrowParams = { maxDepth: Infinity, maxLeafNodes: Infinity, minSamplesLeaf: 1, minSamplesSplit: 2, l2: 0, maxFeatures: 3, shrinkage: 1 };

function leafCount(grower: TreeGrower, values: Float64Array, n: number, p: GrowParams): number {
  const ids = range(n);
  const { nodes, leaves } = grower.grow(values, ids, p);
  const leafNodes = nodes.left.filter((l) => l === -1).length;
  assert.equal(leaves.length, leafNodes, "every leaf node is reported once with its slice");
  assert.equal(leaves.reduce((s, l) => s + l.end - l.start, 0), n, "the leaves' slices cover every sample");
  return leafNodes;
}

test("max leaf nodes: the tree has exactly maxLeafNodes leaves when the data allow, never more", () => {
  const rng = new Random(14);
  const rows = 600;
  const codes = randomCodes(rng, rows, [255, 255, 50]);
  const grower = new TreeGrower({ codes, thresholds: codes.map(() => Float64Array.from({ length: 255 }, (_, b) => b + 0.5)) });
  const values = randomValues(rng, rows);
  const all = leafCount(grower, values, rows, unlimited);
  assert.ok(all > 100);
  for (const k of [2, 3, 8, 31, 100]) assert.equal(leafCount(grower, values, rows, { ...unlimited, maxLeafNodes: k }), k, `maxLeafNodes=${k}`);
  // Data that allow only a few leaves: minSamplesLeaf = 150 of 600 rows leaves room for at most 4.
  const few = { ...unlimited, minSamplesLeaf: 150 };
  const possible = leafCount(grower, values, rows, few);
  assert.ok(possible >= 2 && possible <= 4);
  for (const k of [possible, possible + 1, 31]) assert.equal(leafCount(grower, values, rows, { ...few, maxLeafNodes: k }), possible, `maxLeafNodes=${k}`);
});
