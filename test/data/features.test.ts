import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { cacheRates, normaliseByGroup, logTransform, addRatio, numericColumn, divide } from "../../src/data/index.js";
import { rejectsSimlab } from "./fixtures.js";

const p = "cachegrind.kernel.";
const events = table({
  [`${p}Ir`]: [1000, 0, 400],
  [`${p}I1mr`]: [10, 0, 4],
  [`${p}ILmr`]: [1, 0, 0],
  [`${p}Dr`]: [300, 0, 100],
  [`${p}D1mr`]: [30, 0, 50],
  [`${p}DLmr`]: [3, 0, 5],
  [`${p}Dw`]: [100, 0, 0],
  [`${p}D1mw`]: [10, 0, 0],
  [`${p}DLmw`]: [1, 0, 0],
  [`${p}Bc`]: [200, 0, 50],
  [`${p}Bcm`]: [20, 0, 5],
  [`${p}Bi`]: [0, 0, 10],
  [`${p}Bim`]: [0, 0, 10],
});

const col = (t: ReturnType<typeof table>, name: string): number[] => Array.from(numericColumn(t, name));

test("cache rates follow cachegrind's definitions, with 0/0 → 0", () => {
  const t = cacheRates(events);
  assert.deepEqual(col(t, `${p}I1_miss_rate`), [0.01, 0, 0.01]);
  assert.deepEqual(col(t, `${p}D1_miss_rate`), [40 / 400, 0, 0.5]);
  assert.deepEqual(col(t, `${p}D1r_miss_rate`), [0.1, 0, 0.5]);
  assert.deepEqual(col(t, `${p}D1w_miss_rate`), [0.1, 0, 0]);
  assert.deepEqual(col(t, `${p}LLd_miss_rate`), [4 / 400, 0, 0.05]);
  assert.deepEqual(col(t, `${p}LL_miss_rate`), [5 / 1400, 0, 5 / 500]);
  assert.deepEqual(col(t, `${p}branch_mispredict_rate`), [0.1, 0, 0.25]);
  assert.deepEqual(col(t, `${p}indirect_mispredict_rate`), [0, 0, 1]);
  assert.deepEqual(col(t, `${p}read_fraction`), [0.3, 0, 0.25]);
  assert.deepEqual(col(t, `${p}write_fraction`), [0.1, 0, 0]);
  assert.deepEqual(col(t, `${p}cond_branch_fraction`), [0.2, 0, 0.125]);
  assert.equal(t.numCols(), events.numCols() + 14);
});

test("rates are computed only where their events exist (no branch-sim → no branch rates)", () => {
  const t = cacheRates(table({ Ir: [10], I1mr: [1], Dr: [4], D1mr: [2], Dw: [0], D1mw: [0] }));
  assert.deepEqual(t.columnNames().filter((n) => n.endsWith("rate")), ["I1_miss_rate", "D1_miss_rate", "D1r_miss_rate", "D1w_miss_rate"]);
  assert.deepEqual(col(t, "D1_miss_rate"), [0.5]);
});

test("division: 0/0 is 0, x/0 is NaN, NaN propagates", () => {
  assert.equal(divide(0, 0), 0);
  assert.ok(Number.isNaN(divide(3, 0)));
  assert.ok(Number.isNaN(divide(NaN, 2)));
  const t = addRatio(table({ a: [1, 0, 5, null], b: [2, 0, 0, 1] }), "a_per_b", "a", "b");
  const r = col(t, "a_per_b");
  assert.deepEqual(r.slice(0, 2), [0.5, 0]);
  assert.ok(Number.isNaN(r[2]!) && Number.isNaN(r[3]!));
});

test("missing or non-numeric columns are SimlabErrors naming them", async () => {
  await rejectsSimlab(() => cacheRates(table({ x: [1] })), /no cachegrind event columns/);
  await rejectsSimlab(() => cacheRates(events, { prefixes: ["cachegrind.kernal."] }), /no column "cachegrind\.kernal\.Ir"/, /did you mean "cachegrind\.kernel\.Ir"/);
  await rejectsSimlab(() => logTransform(table({ runtime: [1], name: ["a"] }), "runtim"), /no column "runtim"/, /did you mean "runtime"/);
  await rejectsSimlab(() => logTransform(table({ runtime: [1], name: ["a"] }), "name"), /column "name" is not numeric \(row 0: "a"\)/);
  await rejectsSimlab(() => normaliseByGroup(table({ runtime: [1] }), "runtime", { by: "grp" }), /no column "grp"/);
});

test("per-group normalisation by min and by mean; NaN ignored; zero minimum follows divide", () => {
  const t = table({ group: ["a", "a", "b", "b", "b", "c", "c"], runtime: [2, 4, 1, 3, NaN, 0, 0] });
  const byMin = normaliseByGroup(t, "runtime", { by: "group" });
  const r = col(byMin, "runtime_rel");
  assert.deepEqual(r.slice(0, 4), [1, 2, 1, 3]);
  assert.ok(Number.isNaN(r[4]!));
  assert.deepEqual(r.slice(5), [0, 0]);
  const byMean = normaliseByGroup(t, ["runtime"], { by: "group", relativeTo: "mean", suffix: "_mean" });
  assert.deepEqual(col(byMean, "runtime_mean").slice(0, 4), [2 / 3, 4 / 3, 0.5, 1.5]);
  const multi = normaliseByGroup(table({ w: ["x", "x", "y"], s: [1, 1, 1], v: [2, 6, 5] }), "v", { by: ["w", "s"], suffix: "" });
  assert.deepEqual(col(multi, "v"), [1, 3, 1]);
});

test("log transforms: log1p for counts (0 stays 0), log for positive runtimes, negatives → NaN", () => {
  const t = logTransform(table({ misses: [0, Math.E - 1, -2], runtime: [1, Math.E, 0] }), "misses");
  const m = col(t, "misses_log1p");
  assert.deepEqual(m.slice(0, 2), [0, 1]);
  assert.ok(Number.isNaN(m[2]!));
  const r = col(logTransform(t, "runtime", { kind: "log" }), "runtime_log");
  assert.deepEqual(r, [0, 1, -Infinity]);
  assert.deepEqual(col(logTransform(t, "runtime", { kind: "log10", suffix: "" }), "runtime"), [0, Math.log10(Math.E), -Infinity]);
});

test("features keep the table's filter and order (work on what the user sees)", () => {
  const t = table({ g: ["a", "a", "b"], x: [3, 1, 2] }).filter((d: { x: number }) => d.x > 1).orderby("x");
  const n = normaliseByGroup(t, "x", { by: "g" });
  assert.deepEqual(n.objects(), [{ g: "b", x: 2, x_rel: 1 }, { g: "a", x: 3, x_rel: 1 }]);
});
