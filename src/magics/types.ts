import type { ArgsOf } from "../args/typed.js";
import type { ArgumentSpec, ParsedArgs } from "../args/types.js";
import type { DisplaySink } from "../display/types.js";

/**
 * The contract every magic family follows. A magic is declared once (name, arguments, what it binds)
 * and the registry derives `%name --help`, type checks, defaults, choices and error messages from it.
 * A magic's `run` is thin: it calls a library function and returns its value.
 */
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
  /** The kernel's input history (`%history`); absent outside a kernel or when history is in memory only. */
  history?: HistoryLocation;
  /** Shows text in the frontend's pager (Jupyter's execute_reply "page" payload); absent outside a kernel. */
  page?(text: string): void;
  /** The notebook's variables (`%who`, `%whos`, `%reset`); absent outside a kernel. */
  variables?: NotebookVariables;
  /** Asks the user for a line of text (Jupyter stdin); rejects when the frontend allows no input. */
  ask?(prompt: string): Promise<string>;
  /** The registry running this magic (set by the registry), so `%lsmagic` lists its own magics. */
  registry?: MagicListing;
}

/** The variables cells declared, as the runtime keeps them. */
export interface NotebookVariables {
  /** Names in declaration order, without the kernel's own globals. */
  names(): string[];
  get(name: string): unknown;
  /** Forgets every variable (and, for the type checker, every declaration). */
  reset(): void;
}

/** The history file the kernel writes and the session (kernel launch) the running cell belongs to. */
export interface HistoryLocation {
  file: string;
  session: number;
}

/** What a magic may ask of the registry that runs it. */
export interface MagicListing {
  /** The %lsmagic text. */
  listing(): Promise<string>;
}

export interface MagicSpec extends ArgumentSpec {
  kind: "line" | "cell";
  run(args: ParsedArgs, ctx: MagicContext): Promise<unknown>;
}

/**
 * Declares a magic whose `run` receives arguments typed from the declaration itself (see ArgsOf): with the
 * spec written as a literal, `args.dir` is `string | undefined` and `args.repeat` a number, with no casts.
 */
export function defineMagic<const S extends Omit<MagicSpec, "run">>(spec: S, run: (args: ArgsOf<S>, ctx: MagicContext) => Promise<unknown>): MagicSpec {
  // The parser produces exactly the shape ArgsOf<S> describes for this declaration.
  return { ...spec, run: run as unknown as MagicSpec["run"] };
}

/** A magic family module (src/magics/<family>.ts) exports `magics: MagicSpec[]`. */
export interface MagicFamily {
  magics: readonly MagicSpec[];
}
