/**
 * The compiler worker: owns tslab's converter. It starts creating it the moment the kernel starts, in parallel
 * with the main thread's socket setup and the runtime worker, then compiles a throwaway cell so the first real
 * cell finds the type checker and TypeScript's hot code ready.
 */
import { parentPort } from "node:worker_threads";
import { CellCompiler, checkComplete } from "./compiler.js";
import type { CompilerOps, FromCompiler, ToCompiler } from "./messages.js";
import { completeMagicLine } from "./magic-completion.js";
import { saveCodeCache } from "./typescript-loader.js";

const port = parentPort!;
const compiler = new CellCompiler();

function answer(message: ToCompiler): CompilerOps[typeof message.op]["result"] | Promise<CompilerOps[typeof message.op]["result"]> {
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

port.on("message", (message: ToCompiler) => {
  let result: unknown;
  try {
    result = answer(message);
  } catch (e) {
    port.postMessage(failure(message.id, e));
    return;
  }
  if (result instanceof Promise) {
    result.then((value: unknown) => port.postMessage({ id: message.id, ok: true, result: value }), (e: unknown) => port.postMessage(failure(message.id, e)));
  } else {
    port.postMessage({ id: message.id, ok: true, result });
  }
});

// Runs before the first request is read: messages wait in the port meanwhile.
compiler.warmUp();
compiler.compile("0");
setImmediate(saveCodeCache);
