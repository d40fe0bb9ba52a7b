import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, test } from "node:test";
import { table } from "arquero";
import { isSimlabError } from "../../src/core/errors.js";
import { magics } from "../../src/magics/predict.js";
import { toMimeBundle } from "../../src/display/types.js";
import { assignFolds } from "../../src/predict/evaluation/cv.js";
import { autoFeatures } from "../../src/predict/design.js";
import { fitTable } from "../../src/predict/fit-table.js";
import { Random } from "../../src/predict/random.js";
import { recordingContext } from "../magics/context.js";

const dir = mkdtempSync(join(tmpdir(), "simlab-fit-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const cli = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** A small sweep-like table: 3 workloads × 40 variants; runtime = a·Ir + b·D1mr per workload, + noise. */
function sweepTable() {
  const rng = new Random(3);
  const cols: Record<string, unknown[]> = { workload: [], variant: [], tile: [], Ir: [], D1mr: [], runtime_min_s: [], runtime_cv: [], point_id: [] };
  ["gemm", "mvm", "conv2d"].forEach((w, g) => {
    for (let v = 0; v < 40; v++) {
      const ir = 1e6 * (1 + rng.next()), miss = 1e4 * (1 + 5 * rng.next());
      cols.workload!.push(w);
      cols.variant!.push(`${w}-${v}`);
      cols.tile!.push(2 ** (v % 5));
      cols.Ir!.push(ir);
      cols.D1mr!.push(miss);
      cols.runtime_min_s!.push((g + 1) * (ir * 1e-9 + miss * 1e-7) * (1 + 0.01 * rng.normal()));
      cols.runtime_cv!.push(0.02);
      cols.point_id!.push(g * 40 + v);
    }
  });
  return table(cols);
}

test("folds: kfold balanced and seeded, group folds never split a group, logo has one group per fold", () => {
  const a = assignFolds(103, "kfold", { folds: 5, seed: 1 });
  const sizes = [0, 1, 2, 3, 4].map((f) => a.filter((x) => x === f).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${sizes}`);
  assert.deepEqual(assignFolds(103, "kfold", { folds: 5, seed: 1 }), a);
  assert.notDeepEqual(assignFolds(103, "kfold", { folds: 5, seed: 2 }), a);
  const groups = Array.from({ length: 60 }, (_, i) => `g${i % 7}`);
  const g = assignFolds(60, "group", { folds: 3, groups });
  for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) if (groups[i] === groups[j]) assert.equal(g[i], g[j]);
  assert.equal(new Set(g).size, 3);
  const l = assignFolds(60, "logo", { groups });
  assert.equal(new Set(l).size, 7);
  assert.throws(() => assignFolds(60, "group", {}), (e) => isSimlabError(e) && /needs a group column/.test(e.message));
});

test("auto features skip target, group, ids, timings and constants", () => {
  assert.deepEqual(autoFeatures(sweepTable(), "runtime_min_s", "workload"), ["tile", "Ir", "D1mr"]);
});

test("fitTable: group CV predictions table, metrics, model on all rows", async () => {
  const r = await fitTable(sweepTable(), { target: "runtime_min_s", group: "workload", model: "linear", targetTransform: "group-normalised" });
  assert.deepEqual(r.predictions.columnNames(), ["row", "group", "measured", "predicted", "fold", "variant"]);
  assert.equal(r.predictions.numRows(), 120);
  assert.equal(r.cv, "group");
  assert.equal(r.folds, 3);
  // Ranking within each group depends on Ir and D1mr only: linear ranks the unseen workloads well.
  assert.ok(r.metrics.overall.spearman > 0.9, `spearman ${r.metrics.overall.spearman}`);
  assert.ok(r.metrics.overall.worstBestRankPercent <= 10, `${r.metrics.overall.worstBestRankPercent}`);
  assert.equal(r.featureImportance?.length, 3);
  assert.equal(r.model.predict([[1e6], [1e6], [1e4]].map((c) => Float64Array.from(c))).length, 1);
});

test("fitTable errors name the column", async () => {
  const t = sweepTable();
  await assert.rejects(fitTable(t, { target: "runtme_min_s" }), (e) => isSimlabError(e) && /runtme_min_s/.test(e.message) && /runtime_min_s/.test(e.hint ?? ""));
  await assert.rejects(fitTable(t, { target: "runtime_min_s", features: ["Ir", "variant"] }), (e) => isSimlabError(e) && /"variant" is not numeric/.test(e.message));
  await assert.rejects(fitTable(t.derive({ neg: () => -1 }), { target: "neg", targetTransform: "log" }), (e) => isSimlabError(e) && /positive/.test(e.message));
});

test("simlab fit writes PRED.csv; simlab eval prints its metrics as JSON", async () => {
  const data = join(dir, "sweep.csv"), pred = join(dir, "pred.csv");
  writeFileSync(data, sweepTable().toCSV());
  const run = promisify(execFile);
  const fit = await run(process.execPath, [cli, "fit", "--data", data, "--target", "runtime_min_s", "--group", "workload", "--model", "boosting", "--cv", "logo", "--params", "max_iter=30", "--target-transform", "log", "--out", pred]);
  assert.match(fit.stdout, /boosting, logo CV \(3 folds\), 3 features, 120 rows/);
  assert.match(readFileSync(pred, "utf8").split("\n")[0]!, /^row,group,measured,predicted,fold,variant$/);
  const ev = JSON.parse((await run(process.execPath, [cli, "eval", pred])).stdout) as { overall: { n: number; groups: number }; groups: { group: string }[] };
  assert.equal(ev.overall.n, 120);
  assert.deepEqual(ev.groups.map((g) => g.group), ["gemm", "mvm", "conv2d"]);
  const bad = await run(process.execPath, [cli, "fit", "--data", data, "--target", "nope", "--out", pred]).catch((e: { code: number; stderr: string }) => e);
  assert.equal((bad as { code: number }).code, 1);
  assert.match((bad as { stderr: string }).stderr, /^simlab fit: no column "nope"/);
});

test("%fit and %eval magics bind a FitResult and Metrics", async () => {
  const df = sweepTable();
  const fit = magics.find((m) => m.name === "fit")!;
  const evalMagic = magics.find((m) => m.name === "eval")!;
  const vars: Record<string, unknown> = { df };
  const rc = recordingContext({ runCode: async (code) => (code in vars ? vars[code] : Promise.reject(new Error("not defined"))) });
  const result = (await fit.run({ table: "df", target: "runtime_min_s", group: "workload", model: "ridge", features: ["auto"], seed: 0, targetTransform: "runtime" }, rc.ctx)) as Awaited<ReturnType<typeof fitTable>>;
  assert.equal(result.predictions.numRows(), 120);
  assert.match(rc.stdout(), /ridge on 3 features/);
  const bundle = (result as unknown as { [toMimeBundle](): Record<string, string> })[toMimeBundle]();
  assert.match(bundle["text/html"]!, /<table/);
  vars.result = result;
  const metrics = (await evalMagic.run({ pred: "result", by: "group" }, rc.ctx)) as { groups: unknown[] };
  assert.equal(metrics.groups.length, 3);
  await assert.rejects(fit.run({ table: "missing", target: "x" }, rc.ctx), (e) => isSimlabError(e) && /no variable 'missing'/.test(e.message));
});
