/** Messages between the kernel's main thread (protocol, compiler) and the runtime worker (runs cell code). */
import type { MagicPart } from "../../magics/cell.js";
import type { MimeBundle } from "../../display/types.js";
import type { HistoryLocation } from "../../magics/types.js";

/** A Jupyter error: what execute_reply / the error message carry. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Compiled JavaScript for one piece of TypeScript, ready to run. */
export interface CompiledCode {
  js: string;
  hasAwait: boolean;
  lastExpressionVar?: string;
  /** For each line of `js` (0-based), the 1-based line of the cell it came from (0: unknown). */
  lines?: number[];
  /** How tracebacks name the cell, e.g. `In [3]`. */
  label?: string;
}

export type ToRuntime =
  | { type: "run"; id: number; code: CompiledCode }
  | { type: "magic"; id: number; part: MagicPart }
  | { type: "compiled"; id: number; result: CompiledCode | CellError }
  | { type: "interrupt" }
  | { type: "input-reply"; id: number; value?: string; error?: string }
  | { type: "reset" }
  /** Where `%history` reads (sent once the kernel opened its history file). */
  | { type: "history"; location: HistoryLocation | undefined };

export type Outcome = { ok: true; bundle?: MimeBundle; boundType?: string } | { ok: false; error: CellError };

export type FromRuntime =
  | { type: "ready" }
  | { type: "done"; id: number; outcome: Outcome }
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; bundle: MimeBundle; displayId?: string; update: boolean }
  | { type: "clear"; wait: boolean }
  /** A magic's `runCode`: the main thread compiles and answers with `compiled`; `ran` commits its declarations. */
  | { type: "compile"; id: number; code: string }
  | { type: "ran"; id: number; ok: boolean }
  /** `process.chdir` in the runtime: the main thread changes directory and answers on the chdir port. */
  | { type: "chdir"; directory: string }
  /** `input(prompt)` in user code: the main thread asks the frontend (stdin input_request) and answers `input-reply`. */
  | { type: "input"; id: number; prompt: string; password: boolean }
  /** Text for the frontend's pager (`%name?`): the execute_reply's "page" payload. */
  | { type: "page"; text: string }
  /** `%reset`: the runtime forgot the notebook's variables; the compiler must forget their declarations. */
  | { type: "variables-reset" };

/** Index 0 of the shared Int32Array: non-zero once an interrupt was requested. */
export const INTERRUPT_FLAG = 0;
/** Index 1: set to 1 by the main thread once it answered a `chdir` request. */
export const CHDIR_DONE = 1;

/** The main thread's answer to `chdir`: nothing, or the error process.chdir threw. */
export interface ChdirAnswer {
  error?: { message: string; code?: string };
}
