import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import type { Tool } from "../../src/core/contracts.js";
import { canonicalKnobs, openStore, saveSweep } from "../../src/store/index.js";
import { runKey, variantKey } from "../../src/sweep/cache-key.js";
import { catalog } from "../../src/sweep/catalog.js";
import { planSweep, type PreparedTool } from "../../src/sweep/plan.js";
import { expandPoints } from "../../src/sweep/points.js";
import { parseSpec } from "../../src/sweep/spec.js";

// Issue 14 item 7: a space at the default point limit (1 M) is planned and saved; one point more is refused.
// No timing here (bench/plan.ts measures it): the counts and sampled keys must be what the per-point path gives.

const dir = mkdtempSync(join(tmpdir(), "simlab-plan-scale-"));
const file = join(dir, "k.c");
writeFileSync(file, "int main(void) { return 0; }\n");
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const tool: Tool = { name: "sim", probe: async () => ({ available: true, version: "1" }), cacheKey: () => "{}", run: async () => ({ stats: {}, wallSeconds: 0 }) };
const prepared: PreparedTool = { tool, identity: { name: "sim", version: "1", options: "{}" } };

test("1,000,001 points are refused with one line before any point is made", () => {
  const spec = parseSpec({ name: "over", workloads: [{ kind: "cfile", space: { A: range(101), B: range(9901) }, options: { file } }], tools: ["cachegrind"] });
  assert.throws(
    () => expandPoints(spec, catalog),
    (e: unknown) => isSimlabError(e) && e.message === "over: the sweep has 1,000,001 points, more than the limit of 1,000,000" && e.format().split("\n").length === 2,
  );
});

test("a 1,000,000-point cfile space is planned and saved, its keys those of the per-point path", () => {
  const spec = parseSpec({ name: "million", workloads: [{ kind: "cfile", space: { A: range(100), B: range(100), C: range(100) }, options: { file, reference: { C: 0 } } }], tools: ["cachegrind"] });
  const points = expandPoints(spec, catalog);
  assert.equal(points.length, 1_000_000);
  const db = openStore(join(dir, "million.db"));
  const plan = planSweep(db, spec, points, [prepared]);
  assert.equal(plan.points.length, 1_000_000);
  assert.equal(plan.runs.length, 1_000_000, "every point's run is to do (the references are points: C=0)");
  assert.equal(plan.referenceKeys.size, 10_000, "one reference per (A, B)");
  assert.equal(plan.totalPairs, 1_000_000);
  assert.equal(plan.cachedPairs, 0);
  assert.ok(plan.runs.slice(0, 10_000).every((r) => plan.referenceKeys.has(r.key)), "references run first");

  const workload = catalog.workload("cfile", spec.workloads[0]!.options);
  const keyOf = (knobs: Record<string, number>) => runKey(variantKey("cfile", spec.workloads[0]!.options, workload.source(knobs)), prepared.identity);
  for (const i of [0, 1, 99, 12_345, 500_000, 999_999]) {
    const knobs = { A: Math.floor(i / 10_000), B: Math.floor(i / 100) % 100, C: i % 100 };
    const point = plan.points[i]!;
    assert.deepEqual(point.knobs, knobs);
    assert.equal(point.group, `cfile A=${knobs.A} B=${knobs.B}`);
    assert.equal(points[i]!.knobsId, canonicalKnobs(knobs));
    assert.equal(point.keys.sim, keyOf(knobs), `point ${i}'s run key`);
    const run = plan.runs.find((r) => r.key === point.keys.sim)!;
    assert.equal(run.referenceKey, knobs.C === 0 ? undefined : keyOf({ ...knobs, C: 0 }));
  }

  const sweepId = saveSweep(db, spec.name, spec, plan.points);
  const count = (sql: string) => db.prepare(sql).pluck().get(sweepId) as number;
  assert.equal(count("SELECT count(*) FROM points WHERE sweep_id = ?"), 1_000_000);
  assert.equal(count("SELECT count(*) FROM knobs WHERE point_id IN (SELECT id FROM points WHERE sweep_id = ?)"), 3_000_000);
  assert.equal(count("SELECT count(*) FROM point_keys WHERE point_id IN (SELECT id FROM points WHERE sweep_id = ?)"), 1_000_000);
  const row = db.prepare("SELECT p.knobs, p.grp, p.ord, pk.cache_key FROM points p JOIN point_keys pk ON pk.point_id = p.id WHERE p.sweep_id = ? AND p.ord = 12345").get(sweepId);
  assert.deepEqual(row, { knobs: canonicalKnobs(plan.points[12_345]!.knobs), grp: "cfile A=1 B=23", ord: 12_345, cache_key: plan.points[12_345]!.keys.sim });
  db.close();
});
