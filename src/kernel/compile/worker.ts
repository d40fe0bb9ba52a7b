/**
 * The compiler as a worker thread: how a kernel compiles when no startup snapshot is there yet. It starts creating
 * the converter the moment the kernel starts, in parallel with the main thread's socket setup and the runtime worker.
 */
import { parentPort } from "node:worker_threads";
import { serveCompiler } from "./serve.js";

const port = parentPort!;
serveCompiler(
  (message) => port.postMessage(message),
  (handler) => port.on("message", handler),
);
