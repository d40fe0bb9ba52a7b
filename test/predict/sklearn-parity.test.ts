import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, test } from "node:test";
import { GradientBoostingRegressor } from "../../src/predict/models/boosting.js";
import { RandomForestRegressor } from "../../src/predict/models/forest.js";
import { r2 } from "../../src/predict/evaluation/metrics.js";
import { friedman } from "../../src/predict/synthetic.js";
import { DecisionTreeRegressor } from "../../src/predict/models/tree.js";

// simlab's own trees against scikit-learn (Debian's /usr/bin/python3) on the same seeded data and split:
// test R² must agree within 0.01 (the pattern of scikit-learn's test_compare_lightgbm.py).
const script = fileURLToPath(new URL("../../../test/predict/sklearn_reference.py", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "simlab-parity-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const train = friedman(3000, 20, 11);
const holdout = friedman(1000, 20, 12);

function writeCsv(path: string, d: { x: Float64Array[]; y: Float64Array }): void {
  const lines = [[...d.x.map((_, j) => `x${j}`), "y"].join(",")];
  for (let i = 0; i < d.y.length; i++) lines.push([...d.x.map((c) => c[i]!.toPrecision(17)), d.y[i]!.toPrecision(17)].join(","));
  writeFileSync(path, lines.join("\n") + "\n");
}
writeCsv(join(dir, "train.csv"), train);
writeCsv(join(dir, "test.csv"), holdout);

const reference = promisify(execFile)("/usr/bin/python3", [script, join(dir, "train.csv"), join(dir, "test.csv"), "tree,forest,boosting,boosting_monotone"]).then(
  ({ stdout }) => JSON.parse(stdout) as Record<string, { r2: number }>,
);

async function compare(name: string, ours: number) {
  const theirs = (await reference)[name]!.r2;
  assert.ok(theirs > 0.5, `scikit-learn's ${name} fits the data (R² ${theirs})`);
  console.log(`${name}: simlab R² ${ours.toFixed(4)}, scikit-learn ${theirs.toFixed(4)}`);
  assert.ok(Math.abs(ours - theirs) <= 0.01, `${name}: simlab R² ${ours.toFixed(4)} vs scikit-learn ${theirs.toFixed(4)}`);
}

test("decision tree (max_depth 8) matches DecisionTreeRegressor", async () => {
  const m = new DecisionTreeRegressor({ maxDepth: 8 }).fit(train.x, train.y);
  await compare("tree", r2(holdout.y, m.predict(holdout.x)));
});

test("random forest (50 trees) matches RandomForestRegressor", async () => {
  const m = new RandomForestRegressor({ nEstimators: 50, seed: 1 }).fit(train.x, train.y);
  await compare("forest", r2(holdout.y, m.predict(holdout.x)));
});

test("gradient boosting matches HistGradientBoostingRegressor", async () => {
  const m = new GradientBoostingRegressor({ learningRate: 0.1, maxIter: 100, maxLeafNodes: 31, minSamplesLeaf: 20 }).fit(train.x, train.y);
  assert.equal(m.nIter, 100);
  await compare("boosting", r2(holdout.y, m.predict(holdout.x)));
});

test("monotone gradient boosting matches HistGradientBoostingRegressor(monotonic_cst=…)", async () => {
  const cst = [0, 0, 0, 1, 1, ...new Array<number>(15).fill(0)];
  const m = new GradientBoostingRegressor({ learningRate: 0.1, maxIter: 100, maxLeafNodes: 31, minSamplesLeaf: 20, monotonicCst: cst }).fit(train.x, train.y);
  await compare("boosting_monotone", r2(holdout.y, m.predict(holdout.x)));
});
