/**
 * Planning a 1 M-point sweep (not a timed test; issue 14 item 7: "a 1 M-point space plans in under 5 s").
 * A `cfile` workload with three knobs of 100 values each (the reference resets one of them) under one tool,
 * into a new store. Prints each step's time — expandPoints, planSweep, saveSweep, refreshWideView — and the
 * whole of runSweep from its start to the first build (the build is intercepted and the sweep interrupted
 * there), each also as a ratio to an anchor measured in the same run: creating 1 M plain knob objects and
 * JSON.stringify of each.
 * Run: npm run bench -- plan   (SIMLAB_BENCH_POINTS=100000 for a smaller space)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, refreshWideView, saveSweep } from "../src/store/index.js";
import { catalog, type Catalog } from "../src/sweep/catalog.js";
import { runSweep } from "../src/sweep/index.js";
import { planSweep, prepareTools } from "../src/sweep/plan.js";
import { expandPoints } from "../src/sweep/points.js";
import { parseSpec } from "../src/sweep/spec.js";

const points = Number(process.env.SIMLAB_BENCH_POINTS ?? 1_000_000);
const side = Math.round(Math.cbrt(points));
const dir = mkdtempSync(join(tmpdir(), "simlab-bench-plan-"));
const file = join(dir, "k.c");
writeFileSync(file, "int main(void) { return 0; }\n");
const values = Array.from({ length: side }, (_, i) => i);
const raw = { name: "bench-plan", workloads: [{ kind: "cfile", space: { A: values, B: values, C: values }, options: { file, reference: { C: 0 } } }], tools: ["cachegrind"] };
const n = side ** 3;

const seconds = (t0: number) => (performance.now() - t0) / 1000;

function anchor(): number {
  const t0 = performance.now();
  const objects: { A: number; B: number; C: number }[] = [];
  for (let i = 0; i < n; i++) objects.push({ A: i % side, B: Math.floor(i / side) % side, C: Math.floor(i / side / side) });
  let length = 0;
  for (const o of objects) length += JSON.stringify(o).length;
  if (length === 0) throw new Error("unreachable");
  return seconds(t0);
}

/** runSweep from its start to the moment the first build gets to run; the sweep is then interrupted. */
async function untilFirstBuild(): Promise<number> {
  const stop = new AbortController();
  let firstBuild = 0;
  const intercepted: Catalog = {
    ...catalog,
    workload: (kind, options) => {
      const w = catalog.workload(kind, options);
      return {
        ...w,
        async build() {
          await null; // after the engine has queued every run, as a real build would start compiling
          firstBuild ||= performance.now();
          stop.abort();
          throw new Error("bench: stopped at the first build");
        },
      };
    },
  };
  const t0 = performance.now();
  await runSweep(raw, { db: join(dir, "e2e.db"), catalog: intercepted, signal: stop.signal }).catch((e: unknown) => {
    if (!firstBuild) throw e;
  });
  if (!firstBuild) throw new Error("the sweep ended without building");
  return (firstBuild - t0) / 1000;
}

try {
  const a = anchor();
  console.log(`anchor: ${n.toLocaleString("en-US")} plain knob objects created and JSON.stringify'd: ${a.toFixed(2)} s`);
  const ratio = (s: number) => `${s.toFixed(2)} s (${(s / a).toFixed(1)}× anchor)`;

  const spec = parseSpec(raw);
  const tools = await prepareTools(spec, catalog);
  let t0 = performance.now();
  const expanded = expandPoints(spec, catalog);
  const tExpand = seconds(t0);
  const db = openStore(join(dir, "steps.db"));
  t0 = performance.now();
  const plan = planSweep(db, spec, expanded, tools);
  const tPlan = seconds(t0);
  t0 = performance.now();
  saveSweep(db, spec.name, spec, plan.points);
  const tSave = seconds(t0);
  t0 = performance.now();
  refreshWideView(db);
  const tView = seconds(t0);
  db.close();
  console.log(`${expanded.length.toLocaleString("en-US")} cfile points × 1 tool, ${plan.runs.length.toLocaleString("en-US")} runs to do:`);
  console.log(`  expandPoints    ${ratio(tExpand)}`);
  console.log(`  planSweep       ${ratio(tPlan)}`);
  console.log(`  saveSweep       ${ratio(tSave)}`);
  console.log(`  refreshWideView ${ratio(tView)}`);
  if (process.env.SIMLAB_BENCH_STEPS_ONLY) process.exit(0);
  const e2e = await untilFirstBuild();
  console.log(`runSweep start → first build: ${ratio(e2e)} (target < 5 s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
