/**
 * The compiler's side of the request channel, the same whether it runs as a worker thread (worker.ts) or as a
 * process started from the startup snapshot (compiler-process.ts): owns tslab's converter, warms it up with a
 * throwaway cell before reading the first request (requests wait in the channel meanwhile), then saves the code
 * cache and, if needed, starts a snapshot build for the next launch.
 */
import { CellCompiler, checkComplete } from "./compiler.js";
import { latest } from "./light-builder.js";
import type { CompilerOps, FromCompiler, ToCompiler } from "./messages.js";
import { completeMagicLine } from "./magic-completion.js";
import { refreshSnapshot } from "./snapshot/build.js";
import { saveCodeCache } from "./typescript-loader.js";

type Answer = CompilerOps[ToCompiler["op"]]["result"];

function answer(compiler: CellCompiler, message: ToCompiler): Answer | Promise<Answer> {
  switch (message.op) {
    case "compile":
      return compiler.compile(message.args.code, message.args.lineOffset);
    case "commit":
      compiler.commit(message.args.declarations);
      return null;
    case "reset":
      compiler.reset();
      return null;
    case "complete":
      return compiler.complete(message.args.code, message.args.cursor);
    case "completeMagic":
      return completeMagicLine(message.args.code, message.args.cursor).then((found) => found ?? null);
    case "inspect":
      return compiler.inspect(message.args.code, message.args.cursor) ?? null;
    case "isComplete":
      return checkComplete(message.args.code);
  }
}

const failure = (id: number, e: unknown): FromCompiler => ({ id, ok: false, error: (e as Error).stack ?? String(e) });

/** Answers each request given to the handler that `listen` installs, through `send`. */
export function serveCompiler(send: (message: FromCompiler) => void, listen: (handler: (message: ToCompiler) => void) => void): void {
  const compiler = new CellCompiler();
  listen((message) => {
    let result: unknown;
    try {
      result = answer(compiler, message);
    } catch (e) {
      send(failure(message.id, e));
      return;
    }
    if (result instanceof Promise) {
      result.then((value: unknown) => send({ id: message.id, ok: true, result: value }), (e: unknown) => send(failure(message.id, e)));
    } else {
      send({ id: message.id, ok: true, result });
    }
  });
  compiler.warmUp();
  compiler.compile("0");
  setImmediate(() => {
    saveCodeCache();
    refreshSnapshot(latest.program);
  });
}
