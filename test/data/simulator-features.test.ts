import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { simulatorFeatures, costModelWeights, numericColumn } from "../../src/data/index.js";
import { rejectsSimlab } from "./fixtures.js";

const p = "cachegrind.kernel.";
// Two groups; group "a" has a failed run (null events, null runtime) that must not set any minimum.
const runs = table({
  group: ["a", "a", "a", "b", "b"],
  runtime: [2, 4, null, 9, 3],
  [`${p}Ir`]: [99, 199, null, 1000, 10],
  [`${p}Dr`]: [10, 30, null, 0, 5],
  [`${p}Dw`]: [5, 5, null, 0, 0],
  [`${p}D1mr`]: [0, 3, null, 1, 0],
  [`${p}DLmr`]: [0, 1, null, 0, 0],
  [`${p}Bcm`]: [1, 0, null, 0, 2],
  "cachegrind.total.Ir": [500, 600, null, 2000, 20],
});

const col = (t: ReturnType<typeof table>, name: string): number[] => Array.from(numericColumn(t, name));
const close = (actual: number[], expected: number[]): void => {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    if (Number.isNaN(expected[i]!)) assert.ok(Number.isNaN(v), `row ${i}: expected NaN, got ${v}`);
    else assert.ok(Math.abs(v - expected[i]!) < 1e-12, `row ${i}: expected ${expected[i]}, got ${v}`);
  });
};

test("work events become ln((E + 1) / (group min + 1)), rare events E / (group's smallest Ir); absent events are skipped", () => {
  const { table: t, features } = simulatorFeatures(runs, { group: "group" });
  assert.deepEqual(features, [
    ...["Ir", "Dr", "Dw", "mem", "cost"].map((e) => `${p}${e}_log_rel`),
    ...["D1mr", "DLmr", "Bcm"].map((e) => `${p}${e}_per_work`),
  ]);
  // group a: Ir min 99 → ln(100/100), ln(200/100); group b: Ir min 10 → ln(1001/11), ln(11/11)
  close(col(t, `${p}Ir_log_rel`), [0, Math.log(2), NaN, Math.log(1001 / 11), 0]);
  // mem = Dr + Dw: a = 15, 35 (min 15); b = 0, 5 (min 0)
  close(col(t, `${p}mem_log_rel`), [0, Math.log(36 / 16), NaN, 0, Math.log(6)]);
  // misses per instruction of the leanest variant: a divides by 99, b by 10
  close(col(t, `${p}D1mr_per_work`), [0, 3 / 99, NaN, 1 / 10, 0]);
  close(col(t, `${p}Bcm_per_work`), [1 / 99, 0, NaN, 0, 2 / 10]);
});

test("the cost model adds weighted misses and mispredictions to the instruction count", () => {
  const { l1, ll, branch } = costModelWeights;
  const cost = [99 + branch, 199 + 3 * l1 + ll, NaN, 1000 + l1, 10 + 2 * branch];
  const { table: t } = simulatorFeatures(runs, { group: "group" });
  // group b: 1010 vs 50, so the second row (fewer instructions, two mispredictions) is the cheaper one
  close(col(t, `${p}cost_log_rel`), [0, Math.log((cost[1]! + 1) / (cost[0]! + 1)), NaN, Math.log((cost[3]! + 1) / (cost[4]! + 1)), 0]);
});

test("runtime targets: log ratio to the group's fastest run, and its capped copy to train on", () => {
  const { table: t, target } = simulatorFeatures(runs, { group: "group", runtime: "runtime", targetCap: 0.9 });
  assert.equal(target, "runtime_log_rel_capped");
  close(col(t, "runtime_log_rel"), [0, Math.log(2), NaN, Math.log(3), 0]);
  close(col(t, "runtime_log_rel_capped"), [0, Math.log(2), NaN, 0.9, 0]); // ln 3 ≈ 1.10 > 0.9
  const uncapped = simulatorFeatures(runs, { group: "group", runtime: "runtime", targetCap: Infinity });
  close(col(uncapped.table, "runtime_log_rel_capped"), [0, Math.log(2), NaN, Math.log(3), 0]);
});

test("scope total reads the whole-program counts", () => {
  const { features, table: t } = simulatorFeatures(runs, { group: "group", scope: "total" });
  assert.deepEqual(features, ["Ir", "cost"].map((e) => `cachegrind.total.${e}_log_rel`)); // no Dr/Dw: no mem
  close(col(t, "cachegrind.total.Ir_log_rel"), [0, Math.log(601 / 501), NaN, Math.log(2001 / 21), 0]);
});

test("missing statistics, unknown scope, missing group, bad cap and bad runtimes are SimlabErrors", async () => {
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "group", tool: "callgrind" }), /callgrind\.kernel\.Ir/);
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "shape" }), /"shape"/);
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "group", scope: "inner" as "kernel" }), /scope "inner"/);
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "group", targetCap: 0 }), /targetCap/);
  const zero = runs.derive({ runtime: () => 0 });
  await rejectsSimlab(() => simulatorFeatures(zero, { group: "group", runtime: "runtime" }), /positive/);
});
