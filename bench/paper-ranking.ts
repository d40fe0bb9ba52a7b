/**
 * The paper's ranking criterion on simlab's shipped dataset (issue 8's Done-when): for each model, leave one
 * operator+shape group out, train on the others, rank the left-out group's variants by predicted runtime, and
 * report where the truly fastest variant lands (% of the group; the DAC 2025 paper: always within the top 3 %)
 * plus TenSet's top-1 / top-5 score (true best / best measured among the k predicted fastest).
 * Every model runs exactly as `simlab fit --data … --target runtime_min_s --group group --cv logo` does by default
 * (the simulator recipe, log-relative target), with only --model/--params changed.
 * Anchors, in the same run and on the same folds: the baselines Ir, the fixed cost Ir + 10·(D1mr + D1mw) and the
 * fitted cost model (NNLS on the raw kernel counts). Noise ceiling: the column "re-measured" ranks each group by a
 * second, independent native measurement of the same variants (datasets/paper-rerun.csv) — what a perfect
 * predictor of the machine's runtime could reach given the measurement noise.
 *   npx tsc -p . && node dist/bench/paper-ranking.js [--data datasets/paper.csv] [--rerun datasets/paper-rerun.csv]
 *     [--models boosting,costmodel,…] [--features simulator=cachegrind.kernel] [--cv-by workload] [--json FILE]
 *   A model entry is NAME or NAME:params, e.g. boosting:loss=pairwise (params as for --params, ';' between them);
 *   `default` is what simlab fit uses without --model (defaultModel in src/predict/models/model-table.ts);
 *   `transfer` is transferModel there (for kernels unlike the training data).
 */
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ColumnTable } from "arquero";
import { loadTable } from "../src/data/index.js";
import { bestRankPercent, fitTable, parseModelParams, topKScore, type FitOptions, type Metrics, type ModelName } from "../src/predict/index.js";
import { transferModel } from "../src/predict/models/model-table.js";

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
};
const dataPath = arg("--data", fileURLToPath(new URL("../../datasets/paper.csv", import.meta.url)));
const rerunPath = arg("--rerun", fileURLToPath(new URL("../../datasets/paper-rerun.csv", import.meta.url)));
const models = arg("--models", "default,transfer,boosting,boosting:loss=pairwise,boosting:init=costmodel,boosting:monotonic_cst=1,forest,costmodel,ridge,knn").split(",");
const featuresArg = arg("--features", "");
const jsonPath = arg("--json", "");
/** `--cv-by workload`: leave one generator out (all its groups) instead of one group. */
const cvBy = arg("--cv-by", "");
const RUNTIME = "runtime_min_s";
const GROUP = "group";

interface GroupResult { group: string; n: number; bestRankPercent: number; position: number; top1: number; top5: number }
interface ModelResult { model: string; seconds: number; groups: GroupResult[]; mean: number; worst: number; within3: boolean; within1: boolean }

function fromMetrics(model: string, m: Metrics, seconds: number): ModelResult {
  const groups = m.groups.map((g) => ({ group: g.group, n: g.n, bestRankPercent: g.bestRankPercent, position: Math.round((g.bestRankPercent * g.n) / 100), top1: g.top1, top5: g.top5 }));
  const ranks = groups.map((g) => g.bestRankPercent);
  return { model, seconds, groups, mean: mean(ranks), worst: Math.max(...ranks), within3: ranks.every((r) => r <= 3), within1: ranks.every((r) => r <= 1) };
}

const loaded = await loadTable(dataPath);
const ok: ColumnTable = loaded.filter((d: Record<string, unknown>) => d.status === "ok" && (d.runtime_min_s as number) > 0); // RUNTIME

/** Per group, the rank of the true best when a second native measurement of the same points is the "prediction". */
async function remeasured(): Promise<Map<string, number> | undefined> {
  if (!existsSync(rerunPath)) return undefined;
  const second = await loadTable(rerunPath);
  const runtimeOf = new Map<string, number>();
  (second.objects() as Record<string, unknown>[]).forEach((r) => runtimeOf.set(`${String(r.group)}#${String(r.point)}`, r[RUNTIME] as number));
  const byGroup = new Map<string, { y: number[]; p: number[] }>();
  for (const r of ok.objects() as Record<string, unknown>[]) {
    const again = runtimeOf.get(`${String(r.group)}#${String(r.point)}`);
    if (again === undefined) throw new Error(`${rerunPath} has no point ${String(r.point)} of group ${String(r.group)}`);
    const g = byGroup.get(String(r.group)) ?? { y: [], p: [] };
    g.y.push(r[RUNTIME] as number);
    g.p.push(again);
    byGroup.set(String(r.group), g);
  }
  return new Map([...byGroup].map(([g, { y, p }]) => [g, bestRankPercent(y, p)]));
}
const ceiling = await remeasured();

const results: ModelResult[] = [];
let baselineResults: ModelResult[] = [];
let features: string[] = [];
for (const entry of models) {
  const colon = entry.indexOf(":"); // only the first: per-feature signs are written 1:0:-1
  const name = (colon < 0 ? entry : entry.slice(0, colon)) as ModelName | "default" | "transfer";
  const params = colon < 0 ? undefined : entry.slice(colon + 1);
  const options: FitOptions = { target: RUNTIME, group: GROUP, cv: "logo", seed: 0, baselines: results.length === 0 };
  if (name === "transfer") Object.assign(options, { model: transferModel.model, params: { ...transferModel.params, ...parseModelParams(transferModel.model, params?.replaceAll(";", ",")) } });
  else if (name !== "default") Object.assign(options, { model: name, params: parseModelParams(name, params?.replaceAll(";", ",")) });
  if (cvBy) options.cvBy = cvBy;
  if (featuresArg) options.features = featuresArg as FitOptions["features"];
  const start = performance.now();
  const fit = await fitTable(ok, options);
  const seconds = (performance.now() - start) / 1000;
  if (results.length === 0) {
    baselineResults = fit.baselines.map((b) => fromMetrics(b.name, b.metrics, 0));
    features = fit.features;
  }
  results.push(fromMetrics(entry, fit.metrics, seconds));
  console.error(`${entry}: ${seconds.toFixed(1)} s`);
}
const modelCount = results.length;
results.push(...baselineResults);

function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

const groupNames = results[0]!.groups.map((g) => g.group);
const nameWidth = Math.max(...groupNames.map((g) => g.length), 26);
const cellWidth = Math.max(16, ...results.map((r) => r.model.length + 2));
const cell = (s: string): string => s.padStart(cellWidth);
console.log(`${ok.numRows()} variants in ${groupNames.length} groups from ${dataPath}; ${cvBy ? `leave one ${cvBy} out (every group of it)` : "leave-one-group-out"}.`);
console.log("Rank of the truly fastest variant in the predicted order: % of the group (position), top-1 / top-5 score.\n");
console.log("group".padEnd(nameWidth) + "    n" + results.map((r) => cell(r.model)).join("") + (ceiling ? cell("re-measured") : ""));
for (const name of groupNames) {
  const rows = results.map((r) => r.groups.find((g) => g.group === name)!);
  const again = ceiling?.get(name);
  console.log(name.padEnd(nameWidth) + String(rows[0]!.n).padStart(5) + rows.map((g) => cell(`${g.bestRankPercent.toFixed(2)} (${g.position})`)).join("") + (again === undefined ? "" : cell(again.toFixed(2))));
  console.log(" ".repeat(nameWidth + 5) + rows.map((g) => cell(`${g.top1.toFixed(3)}/${g.top5.toFixed(3)}`)).join(""));
}
const line = (label: string, f: (r: ModelResult) => string, extra = ""): void => console.log(label.padEnd(nameWidth + 5) + results.map((r) => cell(f(r))).join("") + (extra ? cell(extra) : ""));
const ceilingValues = ceiling ? [...ceiling.values()] : [];
line("mean %", (r) => r.mean.toFixed(2), ceiling ? mean(ceilingValues).toFixed(2) : "");
line("worst %", (r) => r.worst.toFixed(2), ceiling ? Math.max(...ceilingValues).toFixed(2) : "");
line("mean top-1 / top-5", (r) => `${mean(r.groups.map((g) => g.top1)).toFixed(3)}/${mean(r.groups.map((g) => g.top5)).toFixed(3)}`);
line("every group ≤ 3 %", (r) => (r.within3 ? "yes" : "no"), ceiling ? (ceilingValues.every((v) => v <= 3) ? "yes" : "no") : "");
line("every group ≤ 1 %", (r) => (r.within1 ? "yes" : "no"), ceiling ? (ceilingValues.every((v) => v <= 1) ? "yes" : "no") : "");
line("fit + CV seconds", (r) => (r.seconds > 0 ? r.seconds.toFixed(1) : "-"));
const fixed = baselineResults.find((b) => b.model.startsWith("Ir+"));
if (fixed) line("worst: fixed cost / this", (r) => (fixed.worst / r.worst).toFixed(1) + "x");
console.log(`\n(the last ${results.length - modelCount} columns are the baselines, scored on the same rows and folds)`);

const remeasuredJSON = ceiling ? Object.fromEntries(ceiling) : null;
const json = JSON.stringify({ data: dataPath, variants: ok.numRows(), groups: groupNames.length, cv: "logo", cvBy: cvBy || null, features, target: RUNTIME, remeasured: remeasuredJSON, results }, null, 1);
if (jsonPath) writeFileSync(jsonPath, json + "\n");
console.log("\n" + json);
