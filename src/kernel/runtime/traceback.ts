/**
 * Tracebacks in the notebook's terms: frames of compiled cells name the cell and its TypeScript line
 * (`at addUp (In [3], line 2)`), and frames of Node's internals, node:vm and the kernel itself are dropped.
 */

/** A compiled cell as the runtime ran it: its label and, per JavaScript line, the cell line it came from. */
export interface CellFile {
  label: string;
  lines?: readonly number[];
}

/** The file name compiled cells run under: unique per compiled piece of code, so each keeps its own line table. */
export const CELL_FILE_PREFIX = "simlab-cell-";

const CELL_POSITION = new RegExp(`${CELL_FILE_PREFIX}\\d+:(\\d+):(\\d+)`, "g");
const INTERNAL_FRAME = /\bnode:|\/src\/kernel\/|^\s*at (?:new Promise|Generator\.next|async Promise\.all|process\.processTicksAndRejections)\b|^\s*at <anonymous>$/;

/**
 * `In [3], line 2` for a position in a compiled cell; undefined past the cell's code (the runtime's wrapper that
 * calls it), so that frame is dropped.
 */
function cellPosition(file: CellFile | undefined, jsLine: number): string | undefined {
  if (!file) return `cell, line ${jsLine}`;
  if (!file.lines) return `${file.label} (compiled line ${jsLine})`;
  const line = file.lines[jsLine - 1];
  return line === undefined ? undefined : line > 0 ? `${file.label}, line ${line}` : `${file.label} (compiled line ${jsLine})`;
}

function rewriteFrame(frame: string, files: ReadonlyMap<string, CellFile>): string | undefined {
  let dropped = false;
  const text = frame.replace(CELL_POSITION, (match, line: string) => {
    const position = cellPosition(files.get(match.slice(0, match.indexOf(":"))), Number(line));
    if (position === undefined) dropped = true;
    return position ?? match;
  });
  if (dropped) return undefined;
  // Cell functions are called as methods of the notebook's scope object: `Object.addUp` is just `addUp`.
  return text.replace(/^(\s*at (?:async )?)(?:Proxy|Object)\./, "$1").replace(/^(\s*at (?:async )?)<anonymous> \((.*)\)$/, "$1$2");
}

/** Rewrites a V8 stack (`Error: message\n    at …`) into the cell's terms. */
export function cellTraceback(stack: string, files: ReadonlyMap<string, CellFile>): string[] {
  const lines = stack.split("\n");
  const first = lines.findIndex((line) => /^\s+at /.test(line));
  const head = first < 0 ? lines : lines.slice(0, first);
  const frames = first < 0 ? [] : lines.slice(first);
  const kept = frames.filter((frame) => !INTERNAL_FRAME.test(frame) || frame.includes(CELL_FILE_PREFIX));
  return [...head, ...kept.flatMap((frame) => rewriteFrame(frame, files) ?? [])];
}
