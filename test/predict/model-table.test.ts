import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, test } from "node:test";
import { table } from "arquero";
import { isSimlabError } from "../../src/core/errors.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { modelTable } from "../../src/predict/models/model-table.js";
import { createEstimator, modelDefaults, modelNames, parseModelParams } from "../../src/predict/registry.js";
import { recordingContext } from "../magics/context.js";

const cli = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "simlab-models-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the model table lists every model; its defaults are the ones the constructors use", async () => {
  assert.deepEqual(modelNames, Object.keys(modelTable));
  assert.ok(modelNames.includes("costmodel"));
  for (const name of modelNames) {
    if (name === "xgboost") continue; // optional WebAssembly backend; its defaults are checked where it is installed
    const made = (await createEstimator(name)).params as Record<string, unknown>;
    for (const [key, value] of Object.entries(modelDefaults(name))) assert.deepEqual(made[key], value, `${name}.${key}`);
  }
});

const bad: [string, string, RegExp][] = [
  ["knn", "k=0", /^model 'knn': k=0 is out of range$/],
  ["knn", "k=abc", /^model 'knn': k=NaN is not a number$/],
  ["knn", "k=2.5", /k=2.5 is not an integer/],
  ["boosting", "learning_rate=-1", /learning_rate=-1 is out of range/],
  ["ridge", "alpha=NaN", /alpha=NaN is not a number/],
  ["forest", "n_estimators=0", /n_estimators=0 is out of range/],
  ["forest", "n_estimators=1e9", /n_estimators=1000000000 is out of range/],
  ["xgboost", "max_depth=-1", /max_depth=-1 is out of range/],
  ["boosting", "loss=listwise", /loss=listwise is not one of the choices/],
  ["forest", "bootstrap=maybe", /bootstrap=maybe is not true or false/],
  ["tree", "monotonic_cst=2", /monotonic_cst=2 is not -1, 0 or 1/],
];
for (const [model, text, message] of bad) {
  test(`--params ${text} for ${model} is a one-line SimlabError with the valid range as hint`, () => {
    assert.throws(() => parseModelParams(model, text), (e) => isSimlabError(e) && message.test(e.message) && !e.message.includes("\n") && /from|≥|>|one of|true or false|e\.g\./.test(e.hint ?? ""));
  });
}

test("parsing follows the schema's types; createEstimator checks values given in code too", async () => {
  assert.deepEqual(parseModelParams("boosting", "max_iter=5,loss=pairwise,monotonic_cst=1:0:-1,early_stopping=false"), { maxIter: 5, loss: "pairwise", monotonicCst: [1, 0, -1], earlyStopping: false });
  await assert.rejects(createEstimator("knn", { k: 0 }), (e) => isSimlabError(e) && /k=0 is out of range/.test(e.message));
});

test("simlab fit --params k=0 prints one error line and its hint, no stack trace", async () => {
  const data = join(dir, "t.csv");
  writeFileSync(data, "g,x,runtime_min_s\na,1,1\na,2,2\nb,1,1\nb,2,3\n");
  const run = promisify(execFile);
  const bad = (await run(process.execPath, [cli, "fit", "--data", data, "--target", "runtime_min_s", "--model", "knn", "--params", "k=0", "-o", join(dir, "p.csv")]).catch((e: unknown) => e)) as { code: number; stderr: string };
  assert.equal(bad.code, 1);
  const lines = bad.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 2, bad.stderr);
  assert.equal(lines[0], "simlab fit: model 'knn': k=0 is out of range");
  assert.match(lines[1]!, /^hint: k: neighbours; an integer from 1 to/);
});

test("%fit --model knn --params k=0 fails with the same one-line SimlabError before touching the table", async () => {
  let evaluated = false;
  const { ctx } = recordingContext({ runCode: async () => ((evaluated = true), table({ x: [1, 2], runtime_min_s: [1, 2] })) });
  const [part] = splitCell("%fit df --target runtime_min_s --model knn --params k=0");
  const error = await runMagic(part as MagicPart, ctx).then(() => undefined, (e: unknown) => e);
  assert.ok(isSimlabError(error), String(error));
  assert.equal(error.message, "model 'knn': k=0 is out of range");
  assert.equal(evaluated, false, "the parameters are checked before the table is read");
});
