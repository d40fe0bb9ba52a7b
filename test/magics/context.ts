import type { MagicContext } from "../../src/magics/types.js";

/** A MagicContext that records what a magic prints and displays; runCode evaluates with `fn`. */
export function recordingContext(options: { signal?: AbortSignal; runCode?: (code: string) => Promise<unknown> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const displayed: unknown[] = [];
  const ctx: MagicContext = {
    signal: options.signal ?? new AbortController().signal,
    display: { display: (value) => displayed.push(value), update: () => undefined },
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    runCode: options.runCode ?? (async (code) => code.length),
  };
  return { ctx, stdout: () => out.join(""), stderr: () => err.join(""), displayed };
}
