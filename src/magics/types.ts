import type { DisplaySink } from "../display/types.js";

/**
 * The contract every magic family follows. A magic is declared once (name, arguments, what it binds)
 * and the registry derives `%name --help`, type checks, defaults, choices and error messages from it.
 * A magic's `run` is thin: it calls a library function and returns its value.
 */
export type ArgType = "string" | "number" | "integer" | "boolean" | "list";
export type ArgValue = string | number | boolean | string[] | undefined;
export type ParsedArgs = Record<string, ArgValue>;

export interface OptionSpec {
  /** Long name, given as `--name`; in ParsedArgs under its camelCase form (`--max-depth` → maxDepth). */
  name: string;
  /** One-letter alias, given as `-x`. */
  short?: string;
  type: ArgType;
  help: string;
  default?: ArgValue;
  choices?: readonly string[];
  required?: boolean;
  /** A string option that may be given several times; its values collect, in order, into a string[]. */
  repeatable?: boolean;
}

export interface PositionalSpec {
  name: string;
  type: Exclude<ArgType, "boolean">;
  help: string;
  required?: boolean;
  /** Takes all remaining positional words (type "list"). */
  variadic?: boolean;
  /**
   * Takes the rest of the line verbatim, quotes and all, from the first word that is not an option
   * (type "string", last positional). For magics whose argument is code, like `%time STATEMENT`.
   */
  raw?: boolean;
}

export interface MagicContext {
  /** For `%%name` cell magics: the cell text below the magic line. */
  body?: string;
  /** Aborted when the user interrupts the cell. Long work must honour it and leave no child process. */
  signal: AbortSignal;
  display: DisplaySink;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Runs TypeScript source in the notebook's context (e.g. for `%%time`); resolves to the last expression's value. */
  runCode(code: string): Promise<unknown>;
}

export interface MagicSpec {
  name: string;
  kind: "line" | "cell";
  /** One line, shown by %lsmagic. */
  summary: string;
  /** Extra text for `%name --help`: examples, notes. */
  description?: string;
  positionals?: readonly PositionalSpec[];
  options?: readonly OptionSpec[];
  /**
   * When the magic's result can be bound with `-> name`, the TypeScript type of that variable, written so
   * it resolves from any notebook folder, e.g. `import("arquero").ColumnTable` or `import("simlab").FitResult`.
   */
  binds?: string;
  run(args: ParsedArgs, ctx: MagicContext): Promise<unknown>;
}

/** A magic family module (src/magics/<family>.ts) exports `magics: MagicSpec[]`. */
export interface MagicFamily {
  magics: readonly MagicSpec[];
}
