import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { CodeCell, Notebook, Output } from "../../src/notebook/ipynb.js";
import { type Finished, readJson, repoRoot, runCommand, simlabMain } from "../notebook/cli-helpers.js";

/** Helpers for the notebooks/ tests: run a notebook headless, then read its outputs as a user would see them. */

export { repoRoot, runCommand, simlabMain };
export const notebooksDir = join(repoRoot, "notebooks");
export const shippedDataset = join(repoRoot, "datasets", "paper.csv");
export const plotlyMime = "application/vnd.plotly.v1+json";

export interface Executed extends Finished {
  notebook: Notebook;
}

/** `simlab run notebooks/NAME.ipynb -o OUT [--html HTML] [-p k=v …]`; the executed notebook is read back. */
export async function runNotebook(
  name: string,
  out: string,
  options: { html?: string; params?: Record<string, string>; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Executed> {
  const argv = [process.execPath, simlabMain, "run", join(notebooksDir, `${name}.ipynb`), "-o", out];
  if (options.html) argv.push("--html", options.html);
  for (const [k, v] of Object.entries(options.params ?? {})) argv.push("-p", `${k}=${v}`);
  const finished = await runCommand(argv, { env: options.env, timeoutMs: options.timeoutMs ?? 170_000 });
  if (finished.code !== 0) throw new Error(`simlab run ${name} exited ${finished.code}:\n${finished.stderr.slice(-3000)}`);
  return { ...finished, notebook: readJson(out) };
}

export function codeCells(nb: Notebook): CodeCell[] {
  return nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
}

/** nbformat stores text as a string or a list of lines. */
export function joined(value: unknown): string {
  return [value ?? ""].flat().join("");
}

export function source(cell: CodeCell): string {
  return joined(cell.source);
}

/** The code cell whose source starts with `prefix` (exactly one). */
export function cellStarting(nb: Notebook, prefix: string): CodeCell {
  const found = codeCells(nb).filter((c) => source(c).startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} cells start with ${JSON.stringify(prefix)}`);
  return found[0]!;
}

/** What the cell printed (streams) and its plain-text results, concatenated. */
export function textOf(outputs: readonly Output[]): string {
  return outputs
    .map((o) => (o.output_type === "stream" ? joined(o.text) : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : joined(o.data["text/plain"])))
    .join("");
}

export function allText(nb: Notebook): string {
  return codeCells(nb).map((c) => textOf(c.outputs)).join("\n");
}

/** The MIME bundles of the cell's display_data / execute_result outputs. */
export function bundles(cell: CodeCell): Record<string, unknown>[] {
  return cell.outputs.flatMap((o) => (o.output_type === "display_data" || o.output_type === "execute_result" ? [o.data as Record<string, unknown>] : []));
}

export interface PlotlyFigure {
  data: { type?: string; mode?: string; name?: string; x?: unknown[]; y?: unknown[] }[];
  layout: Record<string, unknown>;
}

/** The plotly figure the cell displayed (its last one). */
export function figureOf(cell: CodeCell): PlotlyFigure {
  const fig = bundles(cell).map((b) => b[plotlyMime]).filter((f) => f !== undefined).pop();
  if (!fig) throw new Error(`no ${plotlyMime} output in cell: ${source(cell).slice(0, 80)}`);
  return fig as PlotlyFigure;
}

export function allFigures(nb: Notebook): PlotlyFigure[] {
  return codeCells(nb).flatMap((c) => bundles(c).flatMap((b) => (b[plotlyMime] ? [b[plotlyMime] as PlotlyFigure] : [])));
}

/** Finite numbers in a trace's y (a figure "has points" when some trace has them). */
export function finiteYs(trace: PlotlyFigure["data"][number]): number[] {
  return (trace.y ?? []).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
}

export interface HtmlTable {
  columns: string[];
  rows: string[][];
}

const unescape = (s: string) => s.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** The arquero table the cell displayed, read back from its text/html (header and the rows shown). */
export function htmlTableOf(cell: CodeCell): HtmlTable {
  const html = bundles(cell).map((b) => joined(b["text/html"])).find((h) => h.includes("<table"));
  if (!html) throw new Error(`no HTML table in cell: ${source(cell).slice(0, 80)}`);
  const cells = (row: string, tag: string) => [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => unescape(m[1]!).trim());
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? "";
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return { columns: cells(head, "th"), rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1]!, "td")) };
}

/** A column of a read-back table as numbers. */
export function numbers(table: HtmlTable, column: string): number[] {
  const j = table.columns.indexOf(column);
  if (j < 0) throw new Error(`no column ${column} in ${table.columns.join(", ")}`);
  return table.rows.map((r) => Number(r[j]));
}

/** A folder whose only program is `node`: a PATH on which gcc and valgrind are missing. */
export function nodeOnlyPath(dir: string): string {
  const bin = join(dir, "node-only-bin");
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, "node"));
  return bin;
}

/** The execution counts of the code cells, in order (compare with 1…n). */
export function executionCounts(nb: Notebook): (number | null)[] {
  return codeCells(nb).map((c) => c.execution_count);
}
