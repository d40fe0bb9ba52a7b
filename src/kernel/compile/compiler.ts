/**
 * TypeScript for cells, over tslab's converter: type-checks a cell against the declarations of earlier cells,
 * emits JavaScript (made interruptible), and answers completion, inspection and is_complete. Runs in the compiler
 * worker (worker.ts), which creates the converter (1–2 s) while the main thread sets up the sockets.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import type { Converter } from "tslab/dist/converter.js";
import { routeExportDefinitions } from "./exports.js";
import { instrumentLoops } from "./instrument.js";
import { deferLoopExports } from "./loop-exports.js";
import { expandShorthandProperties } from "./shorthand.js";
import { addTypeFallback } from "../modules.js";
import type { CellError, CompiledCode } from "../runtime/messages.js";
import { lastSourceMaps, loadLightConverter } from "./light-builder.js";
import { composeLines, fillGaps, lineTable, mappingsOf } from "./source-lines.js";
import { loadTypeScript as loadTslabTypeScript } from "./typescript-loader.js";


export interface Compiled {
  code: CompiledCode;
  /** The declarations after this code ran; pass to `commit` once it ran without error. */
  declarations: string;
}

let typescript: typeof TS | undefined;
/** tslab's TypeScript, with module and type resolution falling back to simlab's own root. */
function loadTypeScript(): typeof TS {
  if (!typescript) {
    typescript = loadTslabTypeScript();
    addTypeFallback(typescript.sys);
  }
  return typescript;
}

/** Replaces `%magic` and `!shell` lines with blanks of the same length, so offsets into the cell stay valid. */
export function blankMagicLines(code: string): string {
  return code.replace(/^[ \t]*[%!].*$/gm, (line) => " ".repeat(line.length));
}

let converter: typeof import("tslab/dist/converter.js") | undefined;
function converterModule(): typeof import("tslab/dist/converter.js") {
  converter ??= loadLightConverter(loadTypeScript());
  return converter;
}

/**
 * For each line of the compiled JavaScript (0-based), the 1-based line of the cell it came from (0: unknown),
 * composed from the last compile's source maps; undefined when a map is missing.
 */
function cellLines(js: string, lineOffset: number): number[] | undefined {
  if (lastSourceMaps.esm === undefined || lastSourceMaps.cjs === undefined) return undefined;
  try {
    const esm = lineTable(mappingsOf(lastSourceMaps.esm));
    const generated = js.split("\n").length;
    const cjs = lastSourceMaps.cjs === null ? Array.from({ length: generated }, (_, i) => i) : lineTable(mappingsOf(lastSourceMaps.cjs));
    // tslab's source starts with one line of its own (`export {};`): TypeScript line t is line t of the code part, 1-based.
    return fillGaps(composeLines(esm, cjs)).map((t) => (t < 1 ? 0 : t + lineOffset));
  } catch {
    return undefined;
  }
}

/** tslab's output made interruptible, with imports' getters routed to the runtime and top-level loops' stores deferred. */
function compiledForRuntime(js: string, hasAwait: boolean): string {
  const ts = loadTypeScript();
  const instrumented = instrumentLoops(ts, js);
  return routeExportDefinitions(hasAwait ? instrumented : deferLoopExports(ts, instrumented));
}

export class CellCompiler {
  private converter: Converter | undefined;
  private declarations = "";

  /** Creates tslab's converter now (it takes about a second) unless it exists. */
  warmUp(): void {
    if (this.converter) return;
    this.converter = converterModule().createConverter();
  }

  get ready(): boolean {
    return this.converter !== undefined;
  }

  private get conv(): Converter {
    this.warmUp();
    return this.converter!;
  }

  /** `lineOffset`: where this code starts in the cell, so error positions match what the user sees. */
  compile(source: string, lineOffset = 0): Compiled | CellError {
    delete lastSourceMaps.esm;
    delete lastSourceMaps.cjs;
    const result = this.conv.convert(this.declarations, expandShorthandProperties(loadTypeScript(), source));
    if (result.diagnostics.length > 0) {
      const lines = result.diagnostics.map(
        (d) => `${d.fileName ? `${d.fileName} ` : ""}${d.start.line + 1 + lineOffset}:${d.start.character + 1} - ${d.messageText}`,
      );
      return { ename: "CompileError", evalue: lines.join("\n"), traceback: lines };
    }
    const js = result.output ?? "";
    const lines = cellLines(js, lineOffset);
    return {
      code: {
        js: compiledForRuntime(js, result.hasToplevelAwait === true),
        ...(lines ? { lines } : {}),
        hasAwait: result.hasToplevelAwait === true,
        ...(result.lastExpressionVar ? { lastExpressionVar: result.lastExpressionVar } : {}),
      },
      declarations: result.declOutput ?? this.declarations,
    };
  }

  commit(declarations: string): void {
    this.declarations = declarations;
  }

  /** Forgets all earlier cells (kernel restart). */
  reset(): void {
    this.declarations = "";
  }

  complete(code: string, cursor: number): { start: number; end: number; matches: string[] } {
    const info = this.conv.complete(this.declarations, blankMagicLines(code), cursor);
    return { start: info.start, end: info.end, matches: info.candidates };
  }

  /**
   * Hover text (type and documentation) of what the cursor is on, or just after (`addUp|`), or of the function
   * whose call the cursor is inside (`addUp(|` or `addUp(1, |`): what Shift-Tab asks while typing a call.
   */
  inspect(code: string, cursor: number): string | undefined {
    const source = blankMagicLines(code);
    let info: ReturnType<Converter["inspect"]> | undefined;
    for (const position of inspectPositions(source, cursor)) {
      info = this.conv.inspect(this.declarations, source, position);
      if (info) break;
    }
    if (!info) return undefined;
    const text = (parts?: { text: string }[]) => (parts ?? []).map((part) => part.text).join("");
    const doc = text(info.documentation);
    return doc ? `${text(info.displayParts)}\n\n${doc}` : text(info.displayParts);
  }

  close(): void {
    this.converter?.close();
  }
}

/** Where to look for something to inspect: the cursor, the character before it, then the callee of the open call around it. */
export function inspectPositions(code: string, cursor: number): number[] {
  const positions = [cursor, cursor - 1];
  let depth = 0;
  for (let i = cursor - 1; i >= 0; i--) {
    const c = code[i];
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (c !== "(") break; // inside an array or object literal, not a call
      let end = i;
      while (end > 0 && /\s/.test(code[end - 1]!)) end--;
      if (end > 0 && /[\w$]/.test(code[end - 1]!)) positions.push(end - 1);
      break;
    } else if (c === ";") break; // the call started in an earlier statement: nothing to show
  }
  return positions.filter((p, k) => p >= 0 && positions.indexOf(p) === k);
}

export type Completeness = { status: "complete" | "invalid" } | { status: "incomplete"; indent: string };

/** is_complete: TypeScript that ends inside an open construct is incomplete; other syntax errors are invalid. */
export function checkComplete(code: string): Completeness {
  if (/^\s*%%/.test(code)) return { status: "complete" };
  const ts = loadTypeScript();
  const { isCompleteCode } = converterModule();
  const source = blankMagicLines(code);
  const tslab = isCompleteCode(source);
  if (!tslab.completed) return { status: "incomplete", indent: tslab.indent ?? "" };
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
  return { status: diagnostics.length > 0 ? "invalid" : "complete" };
}
