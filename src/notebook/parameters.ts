import { SimlabError } from "../core/errors.js";
import { hasTag, newCellId, toLines, type Cell, type Notebook } from "./ipynb.js";

/** papermill-style parameters: `-p name=value` becomes `const name = <typed literal>;` in an injected cell. */

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

export type Parameters = ReadonlyMap<string, string>;

/**
 * The TypeScript literal for a parameter given on the command line: numbers, booleans and null as
 * themselves, JSON arrays/objects/strings as JSON, anything else as a string.
 */
export function typedLiteral(value: string): string {
  const text = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(Number(text))) return String(Number(text));
  if (text === "true" || text === "false" || text === "null") return text;
  if (/^[[{"]/.test(text)) {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      // Not JSON after all: a string.
    }
  }
  return JSON.stringify(value);
}

/** Parses `name=value` words (from `-p`), checking that each name is a usable TypeScript identifier. */
export function parseParameters(words: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new SimlabError(`parameter '${word}' is not name=value`, "write -p size=256 (one -p per parameter)");
    const name = word.slice(0, eq);
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new SimlabError(`parameter name '${name}' is not a valid TypeScript identifier`, "use letters, digits and _, not starting with a digit");
    }
    params.set(name, word.slice(eq + 1));
  }
  return params;
}

export function parametersSource(params: Parameters): string {
  const lines = ["// Injected parameters (simlab run -p)"];
  for (const [name, value] of params) lines.push(`const ${name} = ${typedLiteral(value)};`);
  return lines.join("\n");
}

/**
 * A copy of the notebook with a cell tagged `injected-parameters` after the cell tagged `parameters`
 * (at the top if there is none). A previously injected cell is replaced. No parameters: unchanged.
 */
export function injectParameters(nb: Notebook, params: Parameters): Notebook {
  if (params.size === 0) return nb;
  const cells = nb.cells.filter((cell) => !hasTag(cell, INJECTED_TAG));
  const injected: Cell = {
    cell_type: "code",
    id: newCellId(),
    source: toLines(parametersSource(params)),
    metadata: { tags: [INJECTED_TAG] },
    execution_count: null,
    outputs: [],
  };
  const at = cells.findIndex((cell) => hasTag(cell, PARAMETERS_TAG));
  cells.splice(at + 1, 0, injected);
  return { ...nb, cells };
}
