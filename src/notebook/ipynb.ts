import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { SimlabError } from "../core/errors.js";

/** The parts of nbformat 4.5 the runner reads and writes. */
export type MultilineString = string | string[];
export type MimeData = Record<string, unknown>;

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineString }
  | { output_type: "display_data"; data: MimeData; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: MimeData; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface CellMetadata {
  tags?: string[];
  [key: string]: unknown;
}

export type Cell =
  | { cell_type: "code"; id: string; source: MultilineString; metadata: CellMetadata; execution_count: number | null; outputs: Output[] }
  | { cell_type: "markdown" | "raw"; id: string; source: MultilineString; metadata: CellMetadata; attachments?: Record<string, unknown> };

export type CodeCell = Extract<Cell, { cell_type: "code" }>;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** A cell id as nbformat 4.5 wants them: 1–64 characters of letters, digits, - and _. */
export function newCellId(): string {
  return randomBytes(6).toString("hex");
}

export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its newline). */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The first non-blank line of a cell, shortened, for progress and error messages. */
export function firstLine(cell: Cell): string {
  const line = sourceText(cell.source).split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

export function hasTag(cell: Cell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/**
 * Checks the structure and upgrades to 4.5: every cell gets an id (unique), metadata and, for code cells,
 * outputs and execution_count. Throws SimlabError naming the first problem.
 */
export function normalizeNotebook(value: unknown, where: string): Notebook {
  const bad = (what: string): never => {
    throw new SimlabError(`${where} is not a Jupyter notebook: ${what}`, "a notebook is nbformat 4 JSON, as written by Jupyter");
  };
  if (typeof value !== "object" || value === null) return bad("the top level is not an object");
  const nb = value as Partial<Notebook>;
  if (nb.nbformat !== 4) return bad(`nbformat is ${JSON.stringify(nb.nbformat)}, expected 4`);
  if (!Array.isArray(nb.cells)) return bad("it has no cells list");
  const seen = new Set<string>();
  const cells = nb.cells.map((raw, index): Cell => {
    const cell = raw as Partial<Cell> & { cell_type?: unknown };
    if (cell.cell_type !== "code" && cell.cell_type !== "markdown" && cell.cell_type !== "raw") {
      return bad(`cell ${index} has cell_type ${JSON.stringify(cell.cell_type)}`);
    }
    if (typeof cell.source !== "string" && !Array.isArray(cell.source)) return bad(`cell ${index} has no source`);
    let id = typeof cell.id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(cell.id) ? cell.id : newCellId();
    while (seen.has(id)) id = newCellId();
    seen.add(id);
    const metadata = typeof cell.metadata === "object" && cell.metadata !== null ? cell.metadata : {};
    if (cell.cell_type === "code") {
      const code = cell as Partial<CodeCell>;
      return {
        cell_type: "code",
        id,
        source: cell.source,
        metadata,
        execution_count: typeof code.execution_count === "number" ? code.execution_count : null,
        outputs: Array.isArray(code.outputs) ? code.outputs : [],
      };
    }
    return { ...(cell as Cell), id, metadata };
  });
  return {
    nbformat: 4,
    nbformat_minor: Math.max(5, typeof nb.nbformat_minor === "number" ? nb.nbformat_minor : 5),
    metadata: typeof nb.metadata === "object" && nb.metadata !== null ? nb.metadata : {},
    cells,
  };
}

export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new SimlabError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "check the notebook's path");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SimlabError(`${path} is not valid JSON: ${(e as Error).message}`, "a notebook is nbformat 4 JSON, as written by Jupyter");
  }
  return normalizeNotebook(json, path);
}

/** Serialises as Jupyter does: one-space indent and a trailing newline. */
export function notebookJson(nb: Notebook): string {
  return `${JSON.stringify(nb, null, 1)}\n`;
}

export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFile(path, notebookJson(nb));
}
