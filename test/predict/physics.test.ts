import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { GradientBoostingRegressor } from "../../src/predict/models/boosting.js";
import { CostModel } from "../../src/predict/models/costmodel.js";
import { RandomForestRegressor } from "../../src/predict/models/forest.js";
import { nnls } from "../../src/predict/models/nnls.js";
import { PairwiseObjective } from "../../src/predict/models/pairwise.js";
import { pairwiseAccuracy } from "../../src/predict/evaluation/ranking.js";
import { Random } from "../../src/predict/random.js";
import { DecisionTreeRegressor } from "../../src/predict/models/tree.js";
import type { Estimator } from "../../src/predict/estimator.js";

const col = (v: number[]) => Float64Array.from(v);

test("nnls: exact non-negative solution recovered; a negative least-squares weight is clamped to the constrained optimum", () => {
  const a = [col([1, 2, 3, 4, 5]), col([2, 1, 0, 1, 3])];
  const b = a[0]!.map((v, i) => 2 * v + 0.5 * a[1]![i]!);
  const w = nnls(a, b);
  assert.ok(Math.abs(w[0]! - 2) < 1e-9 && Math.abs(w[1]! - 0.5) < 1e-9, `${w}`);
  // Identity design, b = (1, −1): unconstrained w = (1, −1), constrained optimum (1, 0).
  assert.deepEqual(Array.from(nnls([col([1, 0]), col([0, 1])], [1, -1]), (v) => +v.toFixed(12)), [1, 0]);
});

test("nnls: matches scipy.optimize.nnls on a random problem, and satisfies the KKT conditions", () => {
  const rng = new Random(4);
  const m = 40, n = 6;
  const a = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => rng.normal()));
  const b = Float64Array.from({ length: m }, () => rng.normal());
  const w = nnls(a, b);
  for (const v of w) assert.ok(v >= 0);
  const residual = b.map((v, i) => v - a.reduce((s, c, j) => s + c[i]! * w[j]!, 0));
  a.forEach((c, j) => {
    const g = c.reduce((s, v, i) => s + v * residual[i]!, 0); // −∂/∂w_j of ½‖r‖²
    if (w[j]! > 0) assert.ok(Math.abs(g) < 1e-8, `free w${j}: gradient ${g}`);
    else assert.ok(g <= 1e-8, `bound w${j}: gradient ${g} would improve`);
  });
  assert.ok(w.some((v) => v === 0) && w.some((v) => v > 0), "the problem has active and free variables");
  const script = "import json,sys,numpy as np; from scipy.optimize import nnls; d=json.load(sys.stdin); print(json.dumps(list(nnls(np.array(d['a']).T, np.array(d['b']))[0])))";
  const theirs = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify({ a: a.map((c) => Array.from(c)), b: Array.from(b) }) }).toString()) as number[];
  theirs.forEach((v, j) => assert.ok(Math.abs(v - w[j]!) < 1e-8, `w${j}: scipy ${v}, simlab ${w[j]}`));
});

test("costmodel: non-negative weights, recovers cycles per event, relative fit", () => {
  const rng = new Random(2);
  const ir = Float64Array.from({ length: 50 }, () => 1e6 * (1 + 9 * rng.next()));
  const miss = Float64Array.from({ length: 50 }, () => 1e4 * (1 + 9 * rng.next()));
  const noise = Float64Array.from({ length: 50 }, () => rng.next()); // unrelated: must get weight 0 or tiny
  const y = ir.map((v, i) => 1e-9 * (v + 12 * miss[i]!) - 1e-4 * noise[i]!);
  for (const relative of [false, true]) {
    const m = new CostModel({ relative, intercept: false }).fit([ir, miss, noise], y);
    const { coef } = m.coefficients();
    for (const c of coef) assert.ok(c >= 0, `${coef}`);
    assert.equal(coef[2], 0, "a feature that only lowers runtime gets weight 0");
    assert.ok(Math.abs(coef[1]! / coef[0]! - 12) < 1.5, `miss/instruction ratio ${coef[1]! / coef[0]!}`);
  }
});

/** y rises with x0, falls with x1 on average, but both with a strong non-monotone wiggle. */
function wiggly(n: number, seed: number) {
  const rng = new Random(seed);
  const x = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.next()));
  const y = Float64Array.from({ length: n }, (_, i) => x[0]![i]! - x[1]![i]! + 0.8 * Math.sin(12 * x[0]![i]!) + 0.8 * Math.sin(12 * x[1]![i]!) + x[2]![i]! + 0.1 * rng.normal());
  return { x, y };
}

/** Largest decrease of the prediction as feature f grows along a grid, other features fixed at random values. */
function worstDrop(model: Estimator, f: number, sign: number): number {
  const rng = new Random(9);
  let worst = 0;
  for (let trial = 0; trial < 30; trial++) {
    const fixed = [rng.next(), rng.next(), rng.next()];
    const grid = Array.from({ length: 101 }, (_, k) => k / 100);
    const x = [0, 1, 2].map((j) => Float64Array.from(grid, (g) => (j === f ? g : fixed[j]!)));
    const p = model.predict(x);
    for (let k = 1; k < p.length; k++) worst = Math.max(worst, sign * (p[k - 1]! - p[k]!));
  }
  return worst;
}

for (const [name, make] of [
  ["tree", (cst?: number[]) => new DecisionTreeRegressor({ maxDepth: 8, ...(cst ? { monotonicCst: cst } : {}) })],
  ["forest", (cst?: number[]) => new RandomForestRegressor({ nEstimators: 10, minSamplesLeaf: 3, ...(cst ? { monotonicCst: cst } : {}) })],
  ["boosting", (cst?: number[]) => new GradientBoostingRegressor({ maxIter: 60, ...(cst ? { monotonicCst: cst } : {}) })],
  ["boosting pairwise", (cst?: number[]) => new GradientBoostingRegressor({ maxIter: 30, loss: "pairwise", ...(cst ? { monotonicCst: cst } : {}) })],
  ["boosting on costmodel", (cst?: number[]) => new GradientBoostingRegressor({ maxIter: 60, init: "costmodel", ...(cst ? { monotonicCst: cst } : {}) })],
] as const) {
  test(`${name}: monotone constraints hold along the constrained features (and are needed on this data)`, () => {
    const { x, y } = wiggly(1500, 1);
    const free = make().fit(x, y);
    assert.ok(worstDrop(free, 0, 1) > 0.05, `unconstrained ${name} is not monotone in x0 on this data`);
    const constrained = make([1, -1, 0]).fit(x, y);
    assert.ok(worstDrop(constrained, 0, 1) <= 1e-12, `${name}: prediction drops by ${worstDrop(constrained, 0, 1)} as x0 grows`);
    assert.ok(worstDrop(constrained, 1, -1) <= 1e-12, `${name}: prediction rises by ${worstDrop(constrained, 1, -1)} as x1 grows`);
  });
}

test("pairwise objective: gradients match finite differences of the loss", () => {
  const y = col([1, 2, 3, 1.5, 0.5]);
  const obj = new PairwiseObjective(y, Int32Array.from([0, 0, 0, 1, 1]));
  assert.equal(obj.pairs, 3 + 1);
  const s = col([0.3, -0.2, 0.1, 0.5, -0.4]);
  const g = new Float64Array(5), h = new Float64Array(5);
  obj.derivatives(s, g, h);
  const loss = obj.loss(s);
  for (let i = 0; i < 5; i++) {
    const t = Float64Array.from(s);
    t[i]! += 1e-6;
    const numeric = (obj.loss(t) - loss) / 1e-6;
    assert.ok(Math.abs(numeric - g[i]!) < 1e-5, `row ${i}: ${numeric} vs ${g[i]}`);
    assert.ok(h[i]! > 0);
  }
});

test("pairwise loss ranks within groups better than squared regression when group scales dominate", () => {
  // 12 groups whose runtimes differ 100× in scale; within a group the order is set by x0 (in a non-linear way);
  // x1 tells the groups' scales apart, which is all a small squared-error model spends its splits on.
  const rng = new Random(5);
  const x0: number[] = [], x1: number[] = [], y: number[] = [], groups: number[] = [];
  for (let g = 0; g < 12; g++) {
    const scale = 10 ** (2 * rng.next());
    for (let v = 0; v < 40; v++) {
      const a = rng.next();
      x0.push(a);
      x1.push(scale);
      y.push(scale * (1 + 0.3 * Math.sin(3 * a) + 0.02 * rng.normal()));
      groups.push(g);
    }
  }
  const x = [col(x0), col(x1)];
  const ids = Int32Array.from(groups);
  const accuracy = (m: Estimator) => {
    const p = m.predict(x);
    let s = 0;
    for (let g = 0; g < 12; g++) {
      const rows = groups.flatMap((v, i) => (v === g ? [i] : []));
      s += pairwiseAccuracy(rows.map((i) => y[i]!), rows.map((i) => p[i]!));
    }
    return s / 12;
  };
  const small = { maxIter: 15, maxLeafNodes: 4, minSamplesLeaf: 5 };
  const squared = accuracy(new GradientBoostingRegressor(small).fit(x, y));
  const pairwise = accuracy(new GradientBoostingRegressor({ ...small, loss: "pairwise" }).fit(x, y, { groups: ids }));
  assert.ok(pairwise > squared + 0.05, `pairwise accuracy ${pairwise.toFixed(3)} vs squared ${squared.toFixed(3)}`);
  assert.ok(pairwise > 0.85, `pairwise accuracy ${pairwise}`);
});

test("pairwise objective: a group too large for all pairs uses sampled pairs, with consistent gradients", () => {
  const rng = new Random(8);
  const n = 1100;
  const y = Float64Array.from({ length: n }, () => rng.next());
  const obj = new PairwiseObjective(y, new Int32Array(n));
  assert.ok(obj.pairs > 200 * n && obj.pairs < (n * (n - 1)) / 2, `${obj.pairs} pairs`);
  const s = Float64Array.from({ length: n }, () => rng.normal());
  const g = new Float64Array(n), h = new Float64Array(n);
  obj.derivatives(s, g, h);
  for (const i of [0, 17, 555]) {
    const up = Float64Array.from(s), down = Float64Array.from(s);
    up[i]! += 1e-4;
    down[i]! -= 1e-4;
    const numeric = (obj.loss(up) - obj.loss(down)) / 2e-4;
    assert.ok(Math.abs(numeric - g[i]!) < 1e-4 * Math.max(1, Math.abs(g[i]!)), `row ${i}: ${numeric} vs ${g[i]}`);
  }
});

test("pairwise loss: outputs come back on the target's scale (least-squares line) and survive JSON", () => {
  const rng = new Random(9);
  const a: number[] = [], y: number[] = [], groups: number[] = [];
  for (let g = 0; g < 6; g++) {
    for (let v = 0; v < 30; v++) {
      const t = rng.next();
      a.push(t);
      y.push(Math.log(1 + 2 * t) + 0.01 * rng.normal()); // a log-relative runtime, 0 … 1.1
      groups.push(g);
    }
  }
  const x = [col(a)];
  const model = new GradientBoostingRegressor({ maxIter: 20, loss: "pairwise" }).fit(x, y, { groups: Int32Array.from(groups) });
  const p = model.predict(x);
  const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, e) => s + e, 0) / v.length;
  assert.ok(Math.abs(mean(p) - mean(y)) < 1e-9, `mean prediction ${mean(p)} vs mean target ${mean(y)}`);
  const sse = Array.from(p).reduce((s, v, i) => s + (v - y[i]!) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - mean(y)) ** 2, 0);
  assert.ok(1 - sse / sst > 0.8, `R² of calibrated pairwise outputs ${1 - sse / sst}`);
  assert.deepEqual(GradientBoostingRegressor.fromJSON(JSON.parse(JSON.stringify(model.toJSON()))).predict(x), p);
});
