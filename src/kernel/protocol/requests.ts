import type { JsonObject } from "./wire.js";

/**
 * The contents of the requests the kernel answers (Jupyter messaging 5.3), read from a message's untyped
 * JSON with the spec's defaults for absent fields, so the server works with typed values.
 */

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  /** Counted and kept in the history: false when silent. */
  storeHistory: boolean;
  allowStdin: boolean;
  stopOnError: boolean;
}

export interface CodeAtCursor {
  code: string;
  /** In characters from the start of `code`; the end of the code when absent. */
  cursorPos: number;
}

export interface ShutdownRequest {
  restart: boolean;
}

export interface InputReply {
  value: string;
}

export interface CommOpen {
  commId: string;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function executeRequest(content: JsonObject): ExecuteRequest {
  const silent = content.silent === true;
  return {
    code: text(content.code),
    silent,
    storeHistory: !silent && content.store_history !== false,
    allowStdin: content.allow_stdin === true,
    stopOnError: content.stop_on_error !== false,
  };
}

/** complete_request and inspect_request. */
export function codeAtCursor(content: JsonObject): CodeAtCursor {
  const code = text(content.code);
  const cursor = content.cursor_pos;
  return { code, cursorPos: typeof cursor === "number" && Number.isInteger(cursor) && cursor >= 0 ? Math.min(cursor, code.length) : code.length };
}

export function shutdownRequest(content: JsonObject): ShutdownRequest {
  return { restart: content.restart === true };
}

export function inputReply(content: JsonObject): InputReply {
  return { value: text(content.value) };
}

export function commOpen(content: JsonObject): CommOpen {
  return { commId: text(content.comm_id) };
}

export type HistoryRequest =
  | { access: "tail"; output: boolean; n: number }
  | { access: "range"; output: boolean; session: number; start: number; stop?: number }
  | { access: "search"; output: boolean; pattern: string; n?: number; unique: boolean };

const integer = (value: unknown): number | undefined => (typeof value === "number" && Number.isInteger(value) ? value : undefined);

/** history_request: `session` ≤ 0 counts back from the current session (0 is the current one), as IPython does. */
export function historyRequest(content: JsonObject, currentSession: number): HistoryRequest {
  const output = content.output === true;
  switch (content.hist_access_type) {
    case "range": {
      const session = integer(content.session) ?? 0;
      const stop = integer(content.stop);
      return { access: "range", output, session: session <= 0 ? currentSession + session : session, start: integer(content.start) ?? 1, ...(stop === undefined ? {} : { stop }) };
    }
    case "search": {
      const n = integer(content.n);
      return { access: "search", output, pattern: text(content.pattern) || "*", unique: content.unique === true, ...(n === undefined ? {} : { n }) };
    }
    default:
      return { access: "tail", output, n: integer(content.n) ?? 10 };
  }
}
