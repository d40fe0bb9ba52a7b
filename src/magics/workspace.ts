import { inspect } from "node:util";
import { SimlabError } from "../core/errors.js";
import { isTableLike } from "../display/table.js";
import { defineMagic, type MagicContext, type MagicSpec, type NotebookVariables } from "./types.js";

/** The workspace family: %who, %whos and %reset over the notebook's variables, as in IPython. */

/** A value's type as %whos shows it: the primitive type, `Array`, `function`, `class`, or the constructor's name. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? "class" : "function";
  if (typeof value !== "object") return typeof value;
  if (Array.isArray(value)) return "Array";
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null) return "Object";
  if (isTableLike(value)) return "ColumnTable";
  return proto.constructor?.name || "Object";
}

function truncate(text: string, width: number): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** A function's parameter list as written (`addUp(a, b)`), from its source text. */
export function signatureOf(fn: (...args: never[]) => unknown): string {
  const source = Function.prototype.toString.call(fn);
  const params = /^[^(]*\(([^)]*)\)/.exec(source)?.[1] ?? (/^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(source)?.[1] ?? "");
  return `${fn.name || "(anonymous)"}(${params.replace(/\s+/g, " ").trim()})`;
}

/** A one-line summary of a value: sizes for collections and tables, the signature of functions, else its text. */
export function valueSummary(value: unknown, width = 60): string {
  if (typeof value === "function") return truncate(signatureOf(value as (...args: never[]) => unknown), width);
  if (isTableLike(value)) return `${value.numRows()} rows × ${value.numCols()} columns`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return `length ${(value as unknown as ArrayLike<unknown>).length}`;
  if (Array.isArray(value)) return `length ${value.length}: ${truncate(inspect(value, { depth: 0, breakLength: Infinity, maxArrayLength: 10 }), width - 12)}`;
  if (value instanceof Map || value instanceof Set) return `size ${value.size}`;
  return truncate(inspect(value, { depth: 0, breakLength: Infinity, maxStringLength: width }), width);
}

export interface VariableRow {
  name: string;
  type: string;
  info: string;
}

export function describeVariables(variables: NotebookVariables): VariableRow[] {
  return variables.names().map((name) => {
    const value = variables.get(name);
    return { name, type: typeName(value), info: valueSummary(value) };
  });
}

/** The %whos table: Variable, Type, Data/Info columns under a dashed rule. */
export function formatWhos(rows: readonly VariableRow[]): string {
  if (rows.length === 0) return "Interactive namespace is empty.";
  const header = { name: "Variable", type: "Type", info: "Data/Info" };
  const nameWidth = Math.max(header.name.length, ...rows.map((r) => r.name.length)) + 3;
  const typeWidth = Math.max(header.type.length, ...rows.map((r) => r.type.length)) + 3;
  const line = (r: VariableRow) => `${r.name.padEnd(nameWidth)}${r.type.padEnd(typeWidth)}${r.info}`.trimEnd();
  const width = Math.max(...[header, ...rows].map((r) => line(r).length));
  return [line(header), "-".repeat(width), ...rows.map(line)].join("\n");
}

function variablesOf(ctx: MagicContext, magic: string): NotebookVariables {
  if (!ctx.variables) throw new SimlabError(`${magic}: there are no notebook variables here`, `${magic} works in the simlab kernel`);
  return ctx.variables;
}

const typesPositional = { name: "types", type: "list", variadic: true, help: "only variables of these types (as %whos names them: number, string, Array, function, …)" } as const;

function selected(ctx: MagicContext, magic: string, types: readonly string[]): VariableRow[] {
  const rows = describeVariables(variablesOf(ctx, magic));
  return types.length === 0 ? rows : rows.filter((r) => types.includes(r.type));
}

const who = defineMagic({
  name: "who",
  kind: "line",
  summary: "List the notebook's variables (optionally only those of the given types)",
  description: "Examples: %who   %who number Float64Array",
  positionals: [typesPositional],
}, async (args, ctx) => {
  const rows = selected(ctx, "%who", args.types ?? []);
  ctx.stdout(rows.length === 0 ? "Interactive namespace is empty.\n" : `${rows.map((r) => r.name).sort().join("\t")}\n`);
  return undefined;
});

const whos = defineMagic({
  name: "whos",
  kind: "line",
  summary: "Table of the notebook's variables with their types and short values",
  description: "Examples: %whos   %whos ColumnTable",
  positionals: [typesPositional],
}, async (args, ctx) => {
  ctx.stdout(`${formatWhos(selected(ctx, "%whos", args.types ?? []))}\n`);
  return undefined;
});

const reset = defineMagic({
  name: "reset",
  kind: "line",
  summary: "Forget every variable the notebook declared (asks first unless -f)",
  options: [{ name: "force", short: "f", type: "boolean", help: "do not ask for confirmation" }],
}, async (args, ctx) => {
  const variables = variablesOf(ctx, "%reset");
  if (!args.force) {
    if (!ctx.ask) throw new SimlabError("%reset: cannot ask for confirmation here", "write %reset -f to reset without asking");
    let answer: string;
    try {
      answer = await ctx.ask("Once deleted, variables cannot be recovered. Proceed (y/[n])? ");
    } catch {
      throw new SimlabError("%reset: this frontend cannot answer the confirmation", "write %reset -f to reset without asking");
    }
    if (!/^y(es)?$/i.test(answer.trim())) {
      ctx.stdout("Nothing done.\n");
      return undefined;
    }
  }
  const count = variables.names().length;
  variables.reset();
  ctx.stdout(`Deleted ${count} variable${count === 1 ? "" : "s"}.\n`);
  return undefined;
});

export const magics: readonly MagicSpec[] = [who, whos, reset];
