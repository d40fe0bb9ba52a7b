/**
 * The declaration of a command's arguments, shared by magics (`%sweep --help`) and CLI subcommands
 * (`simlab sweep --help`): the parser, help text, type checks, defaults, choices and errors derive from it.
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

/** What the parser needs of a command: its name, summary and arguments. A magic's spec extends it with `kind`. */
export interface ArgumentSpec {
  name: string;
  /** `line` → shown as `%name`, `cell` → `%%name`; absent for a CLI subcommand, shown as is (`simlab run`). */
  kind?: "line" | "cell";
  /** One line, shown by %lsmagic and in help. */
  summary: string;
  /** Extra text for `--help`: examples, notes. */
  description?: string;
  positionals?: readonly PositionalSpec[];
  options?: readonly OptionSpec[];
  /**
   * When the result can be bound with `-> name`, the TypeScript type of that variable, written so
   * it resolves from any notebook folder, e.g. `import("arquero").ColumnTable` or `import("simlab").FitResult`.
   */
  binds?: string;
}
