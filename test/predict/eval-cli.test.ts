/** Issue 14 item 12 (evaluation): `simlab eval` refuses incomplete rows and unknown --by columns in one line. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { table } from "arquero";
import { isSimlabError } from "../../src/core/errors.js";
import { evaluateTable } from "../../src/predict/evaluation/evaluate.js";
import { runCommand, simlabMain } from "../notebook/cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "simlab-eval-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const evalCli = (...args: string[]) => runCommand([process.execPath, simlabMain, "eval", ...args]);

function assertOneLine(result: { code: number | null; stderr: string; stdout: string }, ...patterns: RegExp[]): void {
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, "");
  for (const p of patterns) assert.match(result.stderr, p);
  assert.doesNotMatch(result.stderr, /^\s+at /m);
  assert.ok(result.stderr.trim().split("\n").length <= 2, result.stderr);
}

test("an empty predicted cell is an error naming the row, not mae: null with spearman: 1", async () => {
  const path = file("holes.csv", "group,measured,predicted\na,1,1.1\na,2,\na,3,3.2\nb,4,NA\n");
  assertOneLine(await evalCli(path), /"predicted" is missing \(empty, NA or NaN\) in row 2 and 1 other row/, /hint: every row needs/);
  assertOneLine(await evalCli(file("inf.csv", "measured,predicted\n1,1\n2,inf\n")), /"predicted" is inf in row 2/);
  assertOneLine(await evalCli(file("nomeasure.csv", "measured,predicted\nnan,1\n2,2\n")), /"measured" is missing .* in row 1 \(/);
  const ok = await evalCli(file("full.csv", "group,measured,predicted\na,1,1.1\na,2,2.3\na,3,3.2\n"));
  assert.equal(ok.code, 0, ok.stderr);
  const metrics = JSON.parse(ok.stdout) as { overall: { mae: number; spearman: number } };
  assert.ok(Math.abs(metrics.overall.mae - 0.2) < 1e-12);
  assert.equal(metrics.overall.spearman, 1);
});

test("eval --by with an unknown column is one line with the closest name; without --by, group is used when present", async () => {
  const path = file("p.csv", "group,workload,measured,predicted\na,w,1,1\na,w,2,3\nb,w,3,2\nb,w,4,5\n");
  assertOneLine(await evalCli(path, "--by", "nosuch"), /no column "nosuch"/);
  assertOneLine(await evalCli(path, "--by", "workloda"), /no column "workloda"/, /did you mean "workload"/);
  const byWorkload = JSON.parse((await evalCli(path, "--by", "workload")).stdout) as { overall: { groups: number } };
  assert.equal(byWorkload.overall.groups, 1);
  const byDefault = JSON.parse((await evalCli(path)).stdout) as { overall: { groups: number } };
  assert.equal(byDefault.overall.groups, 2);
  const noGroup = evaluateTable(table({ measured: [1, 2, 3], predicted: [1, 2, 4] }));
  assert.equal(noGroup.overall.groups, 1);
  assert.throws(() => evaluateTable(table({ measured: [1], predicted: [1] }), "group"), (e: unknown) => isSimlabError(e) && /no column "group"/.test(e.message));
});

test("eval --data of a saved model's predictions (no fold column) scores the fitted cost model leaving one group out", async () => {
  // Runtime is exactly Ir + 10·D1mr in every group: a cost model fitted on the other groups ranks each one perfectly.
  const lines = ["row,group,measured,predicted"];
  const data = ["group,runtime_min_s,cachegrind.kernel.Ir,cachegrind.kernel.D1mr,cachegrind.kernel.D1mw"];
  let row = 0;
  for (const g of ["a", "b", "c"]) {
    for (let i = 0; i < 20; i++, row++) {
      const ir = 1000 + ((i * 37) % 20) * 50, miss = (i * 11) % 17;
      const runtime = (ir + 10 * miss) * 1e-6;
      data.push(`${g},${runtime},${ir},${miss},0`);
      lines.push(`${row},${g},${runtime},${runtime * (1 + (i % 3) * 0.01)}`);
    }
  }
  const result = await evalCli(file("pred-nofold.csv", lines.join("\n") + "\n"), "--data", file("data-nofold.csv", data.join("\n") + "\n"));
  assert.equal(result.code, 0, result.stderr);
  const metrics = JSON.parse(result.stdout) as { baselines: { name: string; metrics: { overall: { worstBestRankPercent: number } } }[] };
  const costmodel = metrics.baselines.find((b) => b.name === "costmodel");
  assert.ok(costmodel, JSON.stringify(metrics.baselines.map((b) => b.name)));
  assert.equal(costmodel.metrics.overall.worstBestRankPercent, 5, "the fastest of 20 variants ranked first (5 %) in every group");
});
