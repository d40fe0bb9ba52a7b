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
import { fitTable } from "../../src/predict/fit-table.js";
import { Random } from "../../src/predict/random.js";
import { predictWithModel, savedModel } from "../../src/predict/saved-model.js";
import { recordingContext } from "../magics/context.js";

const cli = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const paper = fileURLToPath(new URL("../../../datasets/paper.csv", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "simlab-saved-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const run = promisify(execFile);

/** Sweep-like rows of `groups`: cachegrind kernel counts, runtime = (Ir + 10·D1mr) · scale, and a knob only some groups have. */
function sweep(groups: string[], seed: number) {
  const rng = new Random(seed);
  const c: Record<string, unknown[]> = { group: [], tile: [], "cachegrind.kernel.Ir": [], "cachegrind.kernel.D1mr": [], "cachegrind.kernel.D1mw": [], "cachegrind.kernel.Dr": [], "cachegrind.kernel.Dw": [], runtime_min_s: [] };
  groups.forEach((g, k) => {
    const size = 10 ** (k % 3);
    for (let v = 0; v < 40; v++) {
      const ir = size * 1e6 * (1 + rng.next()), miss = size * 1e4 * (1 + 8 * rng.next());
      c.group!.push(g);
      c.tile!.push(k % 2 === 0 ? 2 ** (v % 4) : null);
      c["cachegrind.kernel.Ir"]!.push(ir);
      c["cachegrind.kernel.D1mr"]!.push(miss);
      c["cachegrind.kernel.D1mw"]!.push(miss / 10);
      c["cachegrind.kernel.Dr"]!.push(ir / 3);
      c["cachegrind.kernel.Dw"]!.push(ir / 9);
      c.runtime_min_s!.push(1e-9 * (ir + 10 * miss) * (1 + 0.01 * rng.normal()));
    }
  });
  return table(c);
}

test("a target that is already relative (zeros) is learned as it is under the recipe", async () => {
  const t = sweep(["a", "b", "c"], 4).derive({ rel: (d: { runtime_min_s: number }) => d.runtime_min_s * 0 });
  const fit = await fitTable(t, { target: "rel", group: "group", model: "ridge", cv: "logo", baselines: false });
  assert.equal(fit.targetTransform, "runtime");
});

test("the simulator recipe is the default; incomplete knob columns are never silently features", async () => {
  const fit = await fitTable(sweep(["a", "b", "c", "d"], 1), { target: "runtime_min_s", group: "group", model: "ridge", cv: "logo" });
  assert.equal(fit.recipe.kind, "simulator");
  assert.equal(fit.targetTransform, "log-relative");
  assert.ok(fit.features.every((f) => f.startsWith("cachegrind.kernel.")), fit.features.join(","));
  assert.deepEqual(fit.baselines.map((b) => b.name), ["Ir", "Ir+10·L1miss", "costmodel"]);
  const auto = await fitTable(sweep(["a", "b", "c", "d"], 1), { target: "runtime_min_s", group: "group", model: "ridge", features: "auto" });
  assert.ok(!auto.features.includes("tile"));
  assert.match(auto.notes.join("\n"), /lack a value: tile/);
});

test("a saved model predicts new groups with its recipe; a missing column is named", async () => {
  const fit = await fitTable(sweep(["a", "b", "c", "d"], 1), { target: "runtime_min_s", group: "group", model: "boosting", params: { maxIter: 20 }, cv: "logo" });
  const model = JSON.parse(JSON.stringify(savedModel(fit, "train.csv"))) as ReturnType<typeof savedModel>;
  assert.equal(model.provenance.rows, 160);
  assert.deepEqual(model.provenance.groups, ["a", "b", "c", "d"]);
  assert.deepEqual(model.provenance.tools, ["cachegrind.kernel"]);
  const fresh = sweep(["x", "y"], 7);
  const withTarget = await predictWithModel(model, fresh);
  assert.deepEqual(withTarget.columnNames(), ["row", "group", "measured", "predicted"]);
  // Ranking within each new group follows the measured runtime (which depends on the events alone).
  const p = withTarget.array("predicted") as Float64Array, y = withTarget.array("measured") as Float64Array;
  let agree = 0, pairs = 0;
  for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) if (Math.abs(y[i]! - y[j]!) > 0.05 * y[i]!) (pairs++, (agree += Number((p[i]! < p[j]!) === (y[i]! < y[j]!))));
  assert.ok(agree / pairs > 0.85, `pairwise agreement ${agree / pairs}`);
  const blind = await predictWithModel(model, fresh.select("group", "cachegrind.kernel.Ir", "cachegrind.kernel.D1mr", "cachegrind.kernel.D1mw", "cachegrind.kernel.Dr", "cachegrind.kernel.Dw"));
  assert.deepEqual(blind.columnNames(), ["row", "group", "predicted"]);
  await assert.rejects(predictWithModel(model, fresh.select("group", "cachegrind.kernel.Ir", "cachegrind.kernel.Dr", "cachegrind.kernel.Dw")), (e) => isSimlabError(e) && /no column "cachegrind.kernel.D1mr", which the model needs/.test(e.message));
  await assert.rejects(predictWithModel(model, fresh.select("cachegrind.kernel.Ir")), (e) => isSimlabError(e) && /no column "group"/.test(e.message));
});

test("simlab fit --save, then simlab predict --model on new data", async () => {
  const train = join(dir, "train.csv"), fresh = join(dir, "new.csv"), model = join(dir, "model.json"), pred = join(dir, "pred.csv");
  writeFileSync(train, sweep(["a", "b", "c", "d"], 1).toCSV());
  writeFileSync(fresh, sweep(["x", "y"], 7).select("group", "cachegrind.kernel.Ir", "cachegrind.kernel.D1mr", "cachegrind.kernel.D1mw", "cachegrind.kernel.Dr", "cachegrind.kernel.Dw").toCSV());
  const fit = await run(process.execPath, [cli, "fit", "--data", train, "--target", "runtime_min_s", "--group", "group", "--cv", "logo", "-o", join(dir, "cv.csv"), "--save", model]);
  assert.match(fit.stdout, /simulator features \(cachegrind\.kernel\)/);
  assert.match(fit.stdout, /Ir\+10·L1miss +costmodel/);
  const saved = JSON.parse(readFileSync(model, "utf8")) as { format: string; estimator: { model: string; params: Record<string, unknown> }; recipe: { kind: string }; provenance: { source: string; host: { hostname: string } } };
  assert.equal(saved.format, "simlab-model");
  assert.deepEqual([saved.estimator.model, saved.estimator.params.loss, saved.estimator.params.init], ["boosting", "pairwise", "costmodel"], "the default model");
  assert.equal(saved.recipe.kind, "simulator");
  assert.equal(saved.provenance.source, train);
  const out = await run(process.execPath, [cli, "predict", "--model", model, "--data", fresh, "-o", pred]);
  assert.match(out.stdout, /80 predictions/);
  assert.equal(readFileSync(pred, "utf8").split("\n")[0], "row,group,predicted");
  const bad = (await run(process.execPath, [cli, "predict", "--model", model, "--data", train.replace("train", "nope"), "-o", pred]).catch((e: unknown) => e)) as { code: number; stderr: string };
  assert.equal(bad.code, 1);
  assert.ok(!/\n\s+at /.test(bad.stderr), bad.stderr);
});

test("%fit --save and %predict fit table -> p", async () => {
  const vars: Record<string, unknown> = { train: sweep(["a", "b", "c"], 2), fresh: sweep(["x"], 3) };
  const rc = recordingContext({ runCode: async (code) => (code in vars ? vars[code] : Promise.reject(new Error("not defined"))) });
  const fit = magics.find((m) => m.name === "fit")!, predict = magics.find((m) => m.name === "predict")!;
  const file = join(dir, "magic-model.json");
  vars.result = await fit.run({ table: "train", target: "runtime_min_s", group: "group", model: "costmodel", seed: 0, save: file }, rc.ctx);
  assert.match(rc.stdout(), /costmodel on \d+ features/);
  const fromFit = (await predict.run({ model: "result", table: "fresh" }, rc.ctx)) as ReturnType<typeof table>;
  const fromFile = (await predict.run({ model: JSON.stringify(file), table: "fresh" }, { ...rc.ctx, runCode: async (code) => (code in vars ? vars[code] : JSON.parse(code)) }));
  assert.deepEqual(Array.from(fromFit.array("predicted") as Float64Array), Array.from((fromFile as typeof fromFit).array("predicted") as Float64Array));
  assert.equal(fromFit.numRows(), 40);
});

test("simlab fit on datasets/paper.csv works as typed, with the baselines per group", async () => {
  const out = await run(process.execPath, [cli, "fit", "--data", paper, "--target", "runtime_min_s", "--group", "group", "--cv", "logo", "-o", join(dir, "cv.csv")]);
  assert.match(out.stdout, /logo CV \(9 folds\), \d+ simulator features \(cachegrind\.kernel\), 2394 rows/);
  for (const g of ["gemm M=128 N=128 K=128", "mvm M=1024 N=4096", "conv2d C=8 H=34 W=34 K=32", "worst"]) assert.ok(out.stdout.includes(g), g);
});

test("--features simulator=TOOL.SCOPE restricts the recipe; an absent source is named with the ones present", async () => {
  const t = sweep(["a", "b", "c"], 5);
  const withTotal = t.derive({ "cachegrind.total.Ir": (d: Record<string, number>) => d["cachegrind.kernel.Ir"]! + 5e5 });
  const all = await fitTable(withTotal, { target: "runtime_min_s", group: "group", model: "ridge", features: "simulator", baselines: false });
  assert.deepEqual(all.recipe.kind === "simulator" && all.recipe.sources, ["cachegrind.kernel"], "the kernel scope is preferred over total");
  const total = await fitTable(withTotal, { target: "runtime_min_s", group: "group", model: "ridge", features: "simulator=cachegrind.total", baselines: false });
  assert.ok(total.features.length > 0 && total.features.every((f) => f.startsWith("cachegrind.total.")), total.features.join(","));
  await assert.rejects(fitTable(t, { target: "runtime_min_s", group: "group", features: "simulator=mca.kernel" }), (e) => isSimlabError(e) && /no mca\.kernel\.<event> columns/.test(e.message) && /cachegrind\.kernel/.test(e.hint ?? ""));
  await assert.rejects(fitTable(t, { target: "runtime_min_s", features: "simulator" }), (e) => isSimlabError(e) && /needs --group/.test(e.message));
});
