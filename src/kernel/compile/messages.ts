/** Requests from the kernel's main thread to the compiler worker, and the answers. */
import type { Completeness } from "./compiler.js";
import type { CellError, CompiledCode } from "../runtime/messages.js";

export interface Completion {
  start: number;
  end: number;
  matches: string[];
}

/** Each request and the type of its answer. */
export interface CompilerOps {
  /** `lineOffset`: where the code starts in the cell. Declarations are kept by the worker until `commit`. */
  compile: { args: { code: string; lineOffset: number }; result: { code: CompiledCode; declarations: string } | CellError };
  commit: { args: { declarations: string }; result: null };
  reset: { args: Record<string, never>; result: null };
  complete: { args: { code: string; cursor: number }; result: Completion };
  /** Inside a magic line's arguments: option names, choices and paths; null when the cursor is not in one. */
  completeMagic: { args: { code: string; cursor: number }; result: Completion | null };
  inspect: { args: { code: string; cursor: number }; result: string | null };
  isComplete: { args: { code: string }; result: Completeness };
}

export type CompilerOp = keyof CompilerOps;

export type ToCompiler = { [K in CompilerOp]: { id: number; op: K; args: CompilerOps[K]["args"] } }[CompilerOp];

export type FromCompiler = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
