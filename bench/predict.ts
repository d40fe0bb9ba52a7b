/**
 * Predictor benchmark: identical 5,000 × 20 data (Friedman #1 + noise features, seeded), fit time and test R²
 * of scikit-learn (Debian's, timed inside Python, fit only), ml-cart, ml-random-forest and simlab's own
 * estimators, all in one run. Prints times, ratios to the scikit-learn anchor, and R².
 *   npx tsc -p . && node dist/bench/predict.js [--rf-trees N]   (ml-random-forest trees to time, default 2)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CartRegressor } from "../src/predict/models/cart.js";
import { GradientBoostingRegressor } from "../src/predict/models/boosting.js";
import type { Estimator } from "../src/predict/estimator.js";
import { RandomForestRegressor } from "../src/predict/models/forest.js";
import { LinearRegression } from "../src/predict/models/linear.js";
import { toRows } from "../src/predict/matrix.js";
import { r2 } from "../src/predict/evaluation/metrics.js";
import { friedman } from "../src/predict/synthetic.js";
import { DecisionTreeRegressor } from "../src/predict/models/tree.js";

const rfTrees = Number(process.argv[process.argv.indexOf("--rf-trees") + 1] ?? 2) || 2;
const train = friedman(5000, 20, 1);
const test = friedman(2000, 20, 2);
const dir = mkdtempSync(join(tmpdir(), "simlab-bench-"));

function writeCsv(path: string, d: { x: Float64Array[]; y: Float64Array }): void {
  const lines = [[...d.x.map((_, j) => `x${j}`), "y"].join(",")];
  for (let i = 0; i < d.y.length; i++) lines.push([...d.x.map((c) => c[i]!.toPrecision(17)), d.y[i]!.toPrecision(17)].join(","));
  writeFileSync(path, lines.join("\n") + "\n");
}

type Result = { seconds: number; r2: number };

function sklearn(models: string, repeat: number): Record<string, { r2: number; fit_seconds: number }> {
  const script = fileURLToPath(new URL("../../test/predict/sklearn_reference.py", import.meta.url));
  const out = execFileSync("/usr/bin/python3", [script, join(dir, "train.csv"), join(dir, "test.csv"), models, "--repeat", String(repeat)], { encoding: "utf8" });
  return JSON.parse(out) as Record<string, { r2: number; fit_seconds: number }>;
}

/** Best-of-`repeat` fit time of a fresh estimator, and its test R². */
function ours(make: () => Estimator, repeat: number): Result {
  let best = Infinity, model: Estimator | undefined;
  for (let k = 0; k < repeat; k++) {
    model = make();
    const t0 = performance.now();
    model.fit(train.x, train.y);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, r2: r2(test.y, model!.predict(test.x)) };
}

interface MlRandomForest {
  train(x: number[][], y: number[]): void;
  predict(x: number[][]): number[];
}

function mlRandomForest(nEstimators: number): Result {
  const require = createRequire(import.meta.url);
  const { RandomForestRegression } = require("ml-random-forest") as { RandomForestRegression: new (o: object) => MlRandomForest };
  const rf = new RandomForestRegression({ nEstimators, maxFeatures: 1.0, replacement: true, useSampleBagging: true, seed: 1, noOOB: true });
  const t0 = performance.now();
  rf.train(toRows(train.x), Array.from(train.y));
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, r2: r2(test.y, Float64Array.from(rf.predict(toRows(test.x)))) };
}

try {
  writeCsv(join(dir, "train.csv"), train);
  writeCsv(join(dir, "test.csv"), test);
  const fast = sklearn("tree,boosting,linear", 5);
  const slow = sklearn("forest", 2);
  const sk = { ...fast, ...slow };

  const rows: [string, Result, string, number][] = [];
  const add = (name: string, r: Result, anchor: string) => rows.push([name, r, anchor, sk[anchor]!.fit_seconds]);
  add("simlab linear", ours(() => new LinearRegression(), 5), "linear");
  add("simlab tree (depth 8)", ours(() => new DecisionTreeRegressor({ maxDepth: 8 }), 5), "tree");
  add("ml-cart (depth 8)", ours(() => new CartRegressor({ maxDepth: 8, minSamples: 2 }), 1), "tree");
  add("simlab forest (50 trees)", ours(() => new RandomForestRegressor({ nEstimators: 50, seed: 1 }), 2), "forest");
  const rf = mlRandomForest(rfTrees);
  add(`ml-random-forest (${rfTrees} trees, time ×${50 / rfTrees}; R² of ${rfTrees})`, { seconds: (rf.seconds * 50) / rfTrees, r2: rf.r2 }, "forest");
  add("simlab boosting (100 iter, 31 leaves)", ours(() => new GradientBoostingRegressor({ maxIter: 100, maxLeafNodes: 31, minSamplesLeaf: 20 }), 5), "boosting");

  console.log(`5,000 × 20 train, 2,000 test; node ${process.version}; fit time best of several runs\n`);
  console.log("scikit-learn 1.2 anchor (same data, same run):");
  for (const [name, v] of Object.entries(sk)) console.log(`  ${name.padEnd(10)} ${(v.fit_seconds * 1000).toFixed(1).padStart(8)} ms   R² ${v.r2.toFixed(4)}`);
  console.log("\nestimator                                        fit ms    × sklearn   R²      ΔR² vs sklearn");
  for (const [name, r, anchor, anchorSeconds] of rows) {
    console.log(`  ${name.padEnd(46)} ${(r.seconds * 1000).toFixed(1).padStart(9)} ${(r.seconds / anchorSeconds).toFixed(2).padStart(9)}×   ${r.r2.toFixed(4)}  ${(r.r2 - sk[anchor]!.r2 >= 0 ? "+" : "") + (r.r2 - sk[anchor]!.r2).toFixed(4)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
