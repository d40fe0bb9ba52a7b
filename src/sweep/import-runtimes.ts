import { existsSync, readFileSync } from "node:fs";
import { SimlabError } from "../core/errors.js";
import { editDistance } from "../core/suggest.js";
import type { Stats } from "../core/contracts.js";
import { openStore, refreshWideView, sweepNames, type Store } from "../store/index.js";
import { IMPORTED_VERSION, writeImportedRuns, type ImportedRun } from "../store/imported-runs.js";
import { runKey, variantKey } from "./cache-key.js";
import { catalog as defaultCatalog, type Catalog } from "./catalog.js";
import { parseCsvRows } from "./csv-rows.js";
import { ownerId } from "./owner.js";
import { expandPoints } from "./points.js";
import { parseSpec } from "./spec.js";

export interface ImportRuntimesOptions {
  sweep: string;
  /** The CSV file: a `point` column (the wide table's point id) or knob columns, and runtime_min_s (+ other runtime_* columns). */
  csv: string;
  /** The target the runtimes were measured on: they become tool `native@<target>` (columns runtime_min_s@<target>); without it, plain `native`. */
  target?: string;
  /** Check and report what would be joined, writing nothing. */
  dryRun?: boolean;
  catalog?: Catalog;
}

export interface ImportRuntimesSummary {
  sweep: string;
  tool: string;
  /** How the rows were matched to points. */
  by: "point" | "knobs";
  /** Points that got a runtime (one per CSV row). */
  points: number;
  /** Statistic names imported (runtime_min_s, ...). */
  statistics: string[];
  /** Of those points, how many already had an import for this target, now replaced. */
  replaced: number;
  written: boolean;
}

interface StoredPointRow {
  id: number;
  workload: string;
  knobs: string;
}

/**
 * Joins runtimes measured elsewhere (a board that cannot run ssh) onto a sweep's points, by point id or by
 * knob columns, as finished native runs of the named target: they show in the wide table as runtime columns
 * like the host's. Every row is checked first — a row that matches no point or several, a point given twice,
 * a runtime that is not a positive number are each one SimlabError naming the CSV line — and then all are
 * written in one transaction, so nothing is ever partly imported.
 */
export function importRuntimes(db: string | Store, options: ImportRuntimesOptions): ImportRuntimesSummary {
  const label = options.target;
  if (label !== undefined && !/^[\w.-]+$/.test(label)) throw new SimlabError(`--target: expected a label of letters, digits, . _ -, got '${label}'`, "e.g. --target rpi4");
  const tool = label === undefined ? "native" : `native@${label}`;
  let text: string;
  try {
    text = readFileSync(options.csv, "utf8");
  } catch (e) {
    throw new SimlabError(`cannot read ${options.csv}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "check the path");
  }
  // Opening a missing path would create an empty store: refuse instead, so a typo leaves no file behind.
  if (typeof db === "string" && !existsSync(db)) throw new SimlabError(`no sweep store at ${db}`, "give --db the store the sweep wrote");
  const store = typeof db === "string" ? openStore(db, options.dryRun ? { readonly: true } : {}) : db;
  try {
    const sweep = store.prepare("SELECT id, spec FROM sweeps WHERE name = ?").get(options.sweep) as { id: number; spec: string } | undefined;
    if (!sweep) {
      const names = sweepNames(store);
      throw new SimlabError(`no sweep named '${options.sweep}' in the store`, names.length ? `sweeps in it: ${names.join(", ")}` : "the store has no sweeps yet");
    }
    const spec = parseSpec(JSON.parse(sweep.spec), `sweep '${options.sweep}'`, { catalog: options.catalog ?? defaultCatalog });
    if (tool === "native" && spec.tools.includes("native")) {
      throw new SimlabError(`sweep '${options.sweep}' measures native runtimes itself`, "give --target LABEL to import these beside them (columns runtime_min_s@LABEL)");
    }
    const points = store.prepare("SELECT id, workload, knobs FROM points WHERE sweep_id = ? ORDER BY ord").all(sweep.id) as StoredPointRow[];
    const matched = matchRows(text, options.csv, options.sweep, points);
    const keyOf = runKeys(spec, options.catalog ?? defaultCatalog, tool, options.sweep);
    const runs: ImportedRun[] = matched.rows.map(({ point, stats }) => ({ pointId: point.id, cacheKey: keyOf(point), workload: point.workload, knobs: point.knobs, stats }));
    const summary = { sweep: options.sweep, tool, by: matched.by, points: runs.length, statistics: matched.statistics };
    if (options.dryRun) {
      const existing = store.prepare("SELECT 1 FROM runs WHERE cache_key = ? AND kind = 'point' AND status = 'ok' AND tool_version = ?").pluck();
      return { ...summary, replaced: runs.filter((r) => existing.get(r.cacheKey, IMPORTED_VERSION) !== undefined).length, written: false };
    }
    const replaced = writeImportedRuns(store, sweep.id, tool, options.csv, runs, ownerId());
    refreshWideView(store);
    return { ...summary, replaced, written: true };
  } finally {
    if (typeof db === "string") store.close();
  }
}

/** The one line `simlab import-runtimes` and `%import-runtimes` report: what was joined (or would be, in a dry run). */
export function importSummaryLine(summary: ImportRuntimesSummary): string {
  const what = `${summary.points} runtime${summary.points === 1 ? "" : "s"} (${summary.statistics.join(", ")}) onto points of sweep '${summary.sweep}' by ${summary.by} as ${summary.tool}`;
  const replaced = summary.replaced > 0 ? `, replacing ${summary.replaced} imported before` : "";
  return `${summary.written ? "joined" : "would join (dry run)"} ${what}${replaced}`;
}

/**
 * The key column `column` is probably a typo of: same letters in another case, or one edit from a name of 3+
 * letters (a free-form column like "notes" or "date" is not near a knob's name by this measure).
 */
function misspeltKey(column: string, keys: readonly string[]): string | undefined {
  const word = column.trim().toLowerCase();
  return keys.find((k) => k.toLowerCase() === word) ?? keys.find((k) => k.length >= 3 && editDistance(word, k.toLowerCase()) <= Math.max(1, Math.floor(k.length / 4)));
}

/** Number-like cells compare as numbers ("64" and "64.0" are the knob 64); others as trimmed text. */
function normalise(value: unknown): string {
  const text = String(value).trim();
  return text !== "" && Number.isFinite(Number(text)) ? String(Number(text)) : text;
}

function matchRows(text: string, origin: string, sweepName: string, points: readonly StoredPointRow[]) {
  const { header, rows } = parseCsvRows(text, origin);
  const fail = (line: number, problem: string, hint: string): never => {
    throw new SimlabError(`${origin}:${line}: ${problem}`, hint);
  };
  const twice = header.find((h, i) => header.indexOf(h) !== i);
  if (twice !== undefined) fail(1, `the header names column '${twice}' twice`, "name each column once");
  const statistics = header.filter((h) => /^runtime_\w+$/.test(h));
  if (!statistics.includes("runtime_min_s")) fail(1, "no runtime_min_s column", "expected a header like point,runtime_min_s (or knob columns instead of point)");
  const knobsOf = new Map(points.map((p) => [p.id, JSON.parse(p.knobs) as Record<string, unknown>]));
  const knobNames = new Set(points.flatMap((p) => Object.keys(knobsOf.get(p.id)!)));
  // Other columns (notes, dates) are kept out of the match; one that looks like a misspelt key column is refused,
  // since matching without it would join the runtimes by fewer knobs than meant.
  const keyNames = ["point", "workload", ...knobNames];
  for (const column of header) {
    if (keyNames.includes(column) || statistics.includes(column)) continue;
    const near = misspeltKey(column, keyNames);
    if (near !== undefined) fail(1, `unknown column '${column}'`, `did you mean '${near}'? the key columns are point, workload and the knobs: ${[...knobNames].join(", ")}`);
  }
  const byId = header.includes("point");
  const keyColumns = byId ? ["point"] : header.filter((h) => knobNames.has(h) || h === "workload");
  if (!byId && !keyColumns.some((h) => h !== "workload")) {
    fail(1, "neither a point column nor any knob column of the sweep", `name the points by 'point' (the wide table's id) or by knobs: ${[...knobNames].join(", ")}`);
  }
  const at = (name: string) => header.indexOf(name);
  // Points by the values of the key columns the CSV gives.
  const index = new Map<string, StoredPointRow[]>();
  for (const p of points) {
    const values = byId ? [String(p.id)] : keyColumns.map((c) => (c === "workload" ? p.workload : c in knobsOf.get(p.id)! ? normalise(knobsOf.get(p.id)![c]) : "\u0000"));
    const key = JSON.stringify(values);
    (index.get(key) ?? index.set(key, []).get(key)!).push(p);
  }
  const seen = new Map<number, number>();
  const out: { point: StoredPointRow; stats: Stats }[] = [];
  for (const row of rows) {
    if (row.cells.length !== header.length) fail(row.line, `has ${row.cells.length} cells, the header has ${header.length}`, "one cell per header column");
    const values = keyColumns.map((c) => normalise(row.cells[at(c)]));
    const shown = keyColumns.map((c, i) => `${c}=${values[i]}`).join(" ");
    const found = index.get(JSON.stringify(values)) ?? [];
    if (found.length === 0) fail(row.line, `matches no point of sweep '${sweepName}' (${shown})`, byId ? "point ids are the wide table's point column (simlab results --db FILE --sweep NAME)" : `knobs of the sweep: ${[...knobNames].join(", ")}`);
    if (found.length > 1) fail(row.line, `matches ${found.length} points of sweep '${sweepName}' (${shown})`, "add the knob columns that tell them apart, or use a point column");
    const point = found[0]!;
    const earlier = seen.get(point.id);
    if (earlier !== undefined) fail(row.line, `point ${point.id} again (line ${earlier} gave it already)`, "give each point one row");
    seen.set(point.id, row.line);
    const stats: Stats = {};
    for (const name of statistics) {
      const cell = row.cells[at(name)]!.trim();
      if (cell === "" && name !== "runtime_min_s") continue;
      const value = Number(cell);
      if (cell === "" || !Number.isFinite(value) || value < 0 || (name === "runtime_min_s" && value === 0)) {
        fail(row.line, `${name} is not a ${name === "runtime_min_s" ? "positive " : "non-negative "}number: '${cell}'`, "runtimes are in seconds, e.g. 0.0123");
      }
      stats[name] = value;
    }
    out.push({ point, stats });
  }
  return { by: byId ? ("point" as const) : ("knobs" as const), statistics, rows: out };
}

/**
 * Imported runs are content-addressed like measured ones: the variant (from the sweep's spec) measured by
 * `tool`, so a later import of the same variant for the same target replaces it. A spec that no longer
 * expands here (a source file gone) falls back to the point's workload and knobs.
 */
function runKeys(spec: ReturnType<typeof parseSpec>, cat: Catalog, tool: string, sweepName: string): (p: StoredPointRow) => string {
  const identity = { name: tool, version: IMPORTED_VERSION, options: "" };
  const variants = new Map<string, string>();
  try {
    for (const p of expandPoints(spec, cat)) variants.set(`${p.kind}\t${p.knobsId}`, variantKey(p.kind, p.workloadOptions, p.workload.source(p.knobs)));
  } catch (e) {
    if (!(e instanceof SimlabError)) throw e;
  }
  return (p) => runKey(variants.get(`${p.workload}\t${p.knobs}`) ?? `point\t${sweepName}\t${p.workload}\t${p.knobs}`, identity);
}
