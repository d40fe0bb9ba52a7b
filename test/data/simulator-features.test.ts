import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { simulatorFeatures, costModelWeights, numericColumn } from "../../src/data/index.js";
import { rejectsSimlab } from "./fixtures.js";

const p = "cachegrind.kernel.";
// Two groups; group "a" has a failed run (null events, null runtime) that must not set the minimum.
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

test("every present event becomes ln((E + 1) / (group min + 1)), in cachegrind's order; absent events are skipped", () => {
  const { table: t, features } = simulatorFeatures(runs, { group: "group" });
  assert.deepEqual(features, ["Ir", "Dr", "D1mr", "DLmr", "Dw", "Bcm", "mem", "cost"].map((e) => `${p}${e}_log_rel`));
  // group a: Ir min 99 → ln(100/100), ln(200/100); group b: Ir min 10 → ln(1001/11), ln(11/11)
  close(col(t, `${p}Ir_log_rel`), [0, Math.log(2), NaN, Math.log(1001 / 11), 0]);
  // zero counts are defined: D1mr group a min 0 → ln(1/1), ln(4/1); group b min 0 → ln(2/1), 0
  close(col(t, `${p}D1mr_log_rel`), [0, Math.log(4), NaN, Math.log(2), 0]);
  // mem = Dr + Dw: a = 15, 35 (min 15); b = 0, 5 (min 0)
  close(col(t, `${p}mem_log_rel`), [0, Math.log(36 / 16), NaN, 0, Math.log(6)]);
});

test("the cost model adds weighted misses and mispredictions to the instruction count", () => {
  const { l1, ll, branch } = costModelWeights;
  const cost = [99 + branch, 199 + 3 * l1 + ll, NaN, 1000 + l1, 10 + 2 * branch];
  const { table: t } = simulatorFeatures(runs, { group: "group" });
  // group b: 1010 vs 50, so the second row (fewer instructions, two mispredictions) is the cheaper one
  close(col(t, `${p}cost_log_rel`), [0, Math.log((cost[1]! + 1) / (cost[0]! + 1)), NaN, Math.log((cost[3]! + 1) / (cost[4]! + 1)), 0]);
});

test("the log-relative target is 0 for each group's fastest run and keeps the order within groups", () => {
  const { table: t, target } = simulatorFeatures(runs, { group: "group", runtime: "runtime" });
  assert.equal(target, "runtime_log_rel");
  close(col(t, "runtime_log_rel"), [0, Math.log(2), NaN, Math.log(3), 0]);
});

test("scope total reads the whole-program counts", () => {
  const { features, table: t } = simulatorFeatures(runs, { group: "group", scope: "total" });
  assert.ok(features.includes("cachegrind.total.Ir_log_rel"));
  close(col(t, "cachegrind.total.Ir_log_rel"), [0, Math.log(601 / 501), NaN, Math.log(2001 / 21), 0]);
});

test("missing statistics, unknown scope, missing group and bad runtimes are SimlabErrors", async () => {
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "group", tool: "callgrind" }), /callgrind\.kernel\.Ir/);
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "shape" }), /"shape"/);
  await rejectsSimlab(() => simulatorFeatures(runs, { group: "group", scope: "inner" as "kernel" }), /scope "inner"/);
  const zero = runs.derive({ runtime: () => 0 });
  await rejectsSimlab(() => simulatorFeatures(zero, { group: "group", runtime: "runtime" }), /positive/);
});
