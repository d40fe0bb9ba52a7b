import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { fitTable } from "../../src/predict/fit-table.js";
import { GradientBoostingRegressor } from "../../src/predict/models/boosting.js";
import { RangeGuard } from "../../src/predict/models/range-guard.js";
import { estimatorFromJSON } from "../../src/predict/registry.js";
import { Random } from "../../src/predict/random.js";
import { workSigns } from "../../src/predict/work-signs.js";

const names = ["cachegrind.kernel.Ir_log_rel", "cachegrind.kernel.D1mr_per_work", "cachegrind.kernel.cost_log_rel"];

/** Rows where, as on datasets/paper.csv, more instructions come with fewer misses: Ir alone looks like it speeds code up. */
function confounded(n: number, seed: number) {
  const rng = new Random(seed);
  const ir = Float64Array.from({ length: n }, () => rng.next());
  const miss = ir.map((v) => Math.max(0, 1 - v + 0.1 * rng.normal()));
  const cost = ir.map((v, i) => 0.3 * v + miss[i]!);
  const y = ir.map((v, i) => 0.3 * v + 2 * miss[i]! + 0.02 * rng.normal());
  return { x: [ir, miss, cost], y };
}

test("workSigns: +1 exactly for the recipe's Ir, Bc and fixed-cost log ratios", () => {
  const all = ["cachegrind.kernel.Ir_log_rel", "cachegrind.kernel.Bc_log_rel", "cachegrind.kernel.cost_log_rel", "cachegrind.kernel.Dr_log_rel", "cachegrind.kernel.D1mr_per_work", "cachegrind.kernel.Bcm_per_work", "mca.kernel.cycles_log_rel", "Irish_log_rel"];
  assert.deepEqual(workSigns(all), [1, 1, 1, 0, 0, 0, 0, 0]);
});

test("monotonic_work: prediction never falls as Ir grows (other features fixed), although Ir's raw correlation with y is negative", () => {
  const { x, y } = confounded(600, 1);
  const corr = (() => {
    const mx = x[0]!.reduce((s, v) => s + v, 0) / y.length, my = y.reduce((s, v) => s + v, 0) / y.length;
    return x[0]!.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
  })();
  assert.ok(corr < 0, "the data must tempt the model to learn 'more Ir, faster'");
  const free = new GradientBoostingRegressor({ maxIter: 60 }).fit(x, y, { featureNames: names });
  const work = new GradientBoostingRegressor({ maxIter: 60, monotonicWork: true }).fit(x, y, { featureNames: names });
  const sweep = (m: GradientBoostingRegressor, miss: number, cost: number) => {
    const ir = Float64Array.from({ length: 101 }, (_, k) => k / 100);
    return m.predict([ir, new Float64Array(101).fill(miss), new Float64Array(101).fill(cost)]);
  };
  let freeFalls = 0;
  for (const [miss, cost] of [[0.2, 0.5], [0.5, 0.6], [0.8, 0.9]] as const) {
    const p = sweep(work, miss, cost);
    for (let k = 1; k < p.length; k++) assert.ok(p[k]! >= p[k - 1]! - 1e-12, `Ir step ${k}: ${p[k - 1]} → ${p[k]}`);
    const q = sweep(free, miss, cost);
    for (let k = 1; k < q.length; k++) if (q[k]! < q[k - 1]! - 1e-9) freeFalls++;
  }
  assert.ok(freeFalls > 0, "without the constraint the same fit does fall with Ir somewhere (else the test proves nothing)");
  // Saved and loaded, the constraint's effect is kept (the signs were resolved at fit time).
  const loaded = GradientBoostingRegressor.fromJSON(JSON.parse(JSON.stringify(work.toJSON())));
  assert.deepEqual(Array.from(loaded.predict(x)), Array.from(work.predict(x)));
});

test("monotonic_work without feature names is a one-line error, not a silent unconstrained fit", () => {
  const { x, y } = confounded(50, 2);
  assert.throws(() => new GradientBoostingRegressor({ monotonicWork: true }).fit(x, y), /monotonic_work needs the features' names/);
});

test("RangeGuard: the anchor's slope on the fixed cost is recovered; rows in range are untouched, rows far outside follow the anchor", () => {
  const rng = new Random(3);
  const n = 300;
  const ir = Float64Array.from({ length: n }, () => rng.next());
  const miss = Float64Array.from({ length: n }, () => 0.2 * rng.next());
  const cost = ir.map((v, i) => v + 10 * miss[i]!);
  const y = cost.map((c) => 0.4 * c + 0.1); // known slope 0.4, intercept 0.1
  const guard = RangeGuard.fit([ir, miss, cost], y, 0.1, names);
  const anchor = guard.anchorPrediction([ir, miss, cost]);
  anchor.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) < 1e-9, `row ${i}: anchor ${v}, truth ${y[i]}`));
  const extrapolated = guard.anchorPrediction([col([5]), col([3]), col([35])]);
  assert.ok(Math.abs(extrapolated[0]! - (0.4 * 35 + 0.1)) < 1e-9, "the anchor extrapolates linearly where trees cannot");

  // Inside the range: trust 1, prediction unchanged. One feature of three outside: a third toward the anchor.
  const learned = Float64Array.from([7, 7, 7]);
  const rows = [col([0.5, 0.5, 0.5]), col([0.1, 0.1, 1]), col([2, -1, 50])]; // columns: Ir, misses, cost
  assert.deepEqual(Array.from(guard.trust(rows)), [1, 2 / 3, 1 / 3]);
  const blended = guard.blend(rows, Float64Array.from(learned));
  assert.equal(blended[0], 7);
  const a = guard.anchorPrediction(rows);
  assert.ok(Math.abs(blended[1]! - ((2 / 3) * 7 + (1 / 3) * a[1]!)) < 1e-12);
  assert.ok(Math.abs(blended[2]! - ((1 / 3) * 7 + (2 / 3) * a[2]!)) < 1e-12);
  // The tolerance widens the range: 1.05 is inside [0, 1] widened by 10 %, 1.15 is not.
  assert.deepEqual(Array.from(guard.trust([col([1.05, 1.15]), col([0.1, 0.1]), col([2, 2])])), [1, 2 / 3]);
});

test("boosting guard=cost: training rows predict as without the guard; saved and loaded it predicts the same far outside", async () => {
  const { x, y } = confounded(400, 4);
  const plain = new GradientBoostingRegressor({ maxIter: 30 }).fit(x, y, { featureNames: names });
  const guarded = new GradientBoostingRegressor({ maxIter: 30, guard: "cost" }).fit(x, y, { featureNames: names });
  assert.deepEqual(Array.from(guarded.predict(x)), Array.from(plain.predict(x)), "in distribution the guard changes nothing");
  const far = [col([3, 6]), col([0.5, 0.5]), col([4, 8])];
  const p = guarded.predict(far);
  assert.notDeepEqual(Array.from(p), Array.from(plain.predict(far)));
  assert.ok(p[1]! > p[0]!, "more work far outside the range predicts slower (the trees alone are flat there)");
  const loaded = await estimatorFromJSON(JSON.parse(JSON.stringify(guarded.toJSON())));
  assert.deepEqual(Array.from(loaded.predict(far)), Array.from(p));
});

test("guard_floor alone: every prediction is the midpoint of the trees' and the fixed cost's, in range too", () => {
  const { x, y } = confounded(300, 6);
  const plain = new GradientBoostingRegressor({ maxIter: 20 }).fit(x, y, { featureNames: names });
  const shrunk = new GradientBoostingRegressor({ maxIter: 20, guardFloor: 0.5 }).fit(x, y, { featureNames: names });
  const anchor = RangeGuard.fit(x, y, null, names).anchorPrediction(x);
  const p = plain.predict(x), q = shrunk.predict(x);
  let moved = 0;
  q.forEach((v, i) => {
    assert.ok(Math.abs(v - (0.5 * p[i]! + 0.5 * anchor[i]!)) < 1e-12, `row ${i}`);
    if (Math.abs(v - p[i]!) > 1e-6) moved++;
  });
  assert.ok(moved > 0, "the floor changes predictions even in distribution");
  const far = [col([1e3]), col([1e3]), col([1e3])];
  assert.deepEqual(Array.from(RangeGuard.fit(x, y, null, names).trust(far)), [1], "without guard=cost the range is not checked");
});

test("fitTable cvBy: leave one generator out — every fold holds exactly one generator's groups", async () => {
  const rng = new Random(5);
  const rows: Record<string, unknown>[] = [];
  for (const gen of ["gemm", "mvm", "conv"]) {
    for (const shape of [1, 2]) {
      for (let v = 0; v < 12; v++) {
        const ir = 1e6 * (1 + rng.next()), miss = 1e4 * rng.next();
        rows.push({ gen, group: `${gen} ${shape}`, "cachegrind.kernel.Ir": ir, "cachegrind.kernel.D1mr": miss, runtime_s: 1e-9 * (ir + 20 * miss) * (1 + 0.01 * rng.next()) });
      }
    }
  }
  const data = table(Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, rows.map((r) => r[k])])));
  const fit = await fitTable(data, { target: "runtime_s", group: "group", cv: "logo", cvBy: "gen", model: "ridge", baselines: false });
  assert.equal(fit.folds, 3);
  const fold = fit.predictions.array("fold") as Int32Array;
  const gens = data.array("gen") as string[];
  for (let f = 0; f < 3; f++) {
    const held = new Set(gens.filter((_, i) => fold[i] === f));
    assert.equal(held.size, 1, `fold ${f} holds ${[...held].join(", ")}`);
  }
  assert.equal(fit.metrics.groups.length, 6, "metrics stay per group, not per generator");
  await assert.rejects(fitTable(data, { target: "runtime_s", group: "group", cv: "logo", cvBy: "nosuch", model: "ridge" }), /nosuch/);
});

function col(v: number[]): Float64Array {
  return Float64Array.from(v);
}
