import assert from "node:assert/strict";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { LinearRegression, Ridge } from "../../src/predict/models/linear.js";
import { r2 } from "../../src/predict/evaluation/metrics.js";
import { createEstimator, estimatorFromJSON, modelNames, parseModelParams } from "../../src/predict/registry.js";
import { friedman } from "../../src/predict/synthetic.js";
import { applyBins, fitBins } from "../../src/predict/hist/binning.js";

const train = friedman(400, 10, 5);
const holdout = friedman(200, 10, 6);

test("least squares recovers exact coefficients; ridge shrinks them", () => {
  // y = 3 + 2·a − b, no noise
  const a = Float64Array.from([1, 2, 3, 4, 5, 6]), b = Float64Array.from([2, 1, 4, 3, 6, 5]);
  const y = a.map((v, i) => 3 + 2 * v - b[i]!);
  const { coef, intercept } = new LinearRegression().fit([a, b], y).coefficients();
  assert.ok(Math.abs(coef[0]! - 2) < 1e-6 && Math.abs(coef[1]! + 1) < 1e-6 && Math.abs(intercept - 3) < 1e-6, `${coef} ${intercept}`);
  // One standardised feature z (Σz² = n): w_z = Σ z·y / (n + α); for y = 2a that is 2·n·sd / (n + α),
  // i.e. 2n / (n + α) = 12 / 16 = 0.75 per unit of a with n = 6, α = 10.
  const ridge = new Ridge({ alpha: 10 }).fit([a], a.map((v) => 2 * v)).coefficients();
  assert.ok(Math.abs(ridge.coef[0]! - 0.75) < 1e-9, `${ridge.coef[0]}`);
});

test("binning: ≤ 255 bins, codes follow thresholds", () => {
  const x = [Float64Array.from({ length: 1000 }, (_, i) => i), Float64Array.from([0, 1, 1, 2, 0, 2, 1, 0, 1, 2])];
  const few = fitBins([x[1]!]);
  assert.deepEqual(Array.from(few.thresholds[0]!), [0.5, 1.5]);
  assert.deepEqual(Array.from(applyBins(few, [x[1]!])[0]!), [0, 1, 1, 2, 0, 2, 1, 0, 1, 2]);
  const many = fitBins([x[0]!]);
  assert.equal(many.thresholds[0]!.length, 254);
  const codes = applyBins(many, [x[0]!])[0]!;
  assert.equal(codes[0], 0);
  assert.equal(codes[999], 254);
  for (let i = 1; i < 1000; i++) assert.ok(codes[i]! >= codes[i - 1]!);
});

for (const name of modelNames) {
  test(`${name}: fits, predicts better than the mean, round-trips through JSON`, async () => {
    const params = name === "forest" ? { nEstimators: 20 } : {};
    const model = await createEstimator(name, params);
    try {
      model.fit(train.x, train.y);
      const p = model.predict(holdout.x);
      assert.equal(p.length, 200);
      assert.ok(r2(holdout.y, p) > 0.4, `${name} R² ${r2(holdout.y, p)}`);
      const copy = await estimatorFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
      const q = copy.predict(holdout.x);
      for (let i = 0; i < p.length; i++) assert.ok(Math.abs(p[i]! - q[i]!) < 1e-4 * Math.max(1, Math.abs(p[i]!)), `${name} row ${i}: ${p[i]} vs ${q[i]}`);
      copy.dispose?.();
      const imp = model.featureImportance?.();
      if (imp && name !== "linear" && name !== "ridge" && name !== "knn") {
        // x3 (10·x3) matters far more than the pure-noise features x10… (there are none here: 10 features) and x5
        assert.ok(imp[3]! > imp[5]!, `${name}: importance of x3 ${imp[3]} vs x5 ${imp[5]}`);
      }
    } finally {
      model.dispose?.();
    }
  });
}

test("forest and boosting are deterministic for a seed", async () => {
  for (const name of ["forest", "boosting"] as const) {
    const params = { seed: 7, ...(name === "forest" ? { nEstimators: 5, maxFeatures: 0.5 } : { earlyStopping: true }) };
    const a = (await createEstimator(name, params)).fit(train.x, train.y).predict(holdout.x);
    const b = (await createEstimator(name, params)).fit(train.x, train.y).predict(holdout.x);
    assert.deepEqual(a, b);
  }
});

test("registry errors are SimlabErrors naming the problem", async () => {
  await assert.rejects(createEstimator("nope" as "tree"), (e) => isSimlabError(e) && /unknown model 'nope'/.test(e.message));
  assert.throws(() => parseModelParams("tree", "depth=3"), (e) => isSimlabError(e) && /no parameter 'depth'/.test(e.message) && /maxDepth/.test(e.hint ?? ""));
  assert.deepEqual(parseModelParams("forest", "max_depth=8, bootstrap=false,nEstimators=3"), { maxDepth: 8, bootstrap: false, nEstimators: 3 });
});
