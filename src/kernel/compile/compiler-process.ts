/**
 * The compiler as a child process started from the startup snapshot (snapshot/entry.cts requires this file after
 * deserialization): TypeScript and the lib files are already parsed, so it answers its first cell within a fraction
 * of a second. Requests and answers go over the IPC channel. An interrupt (SIGINT to the kernel's process group)
 * is the kernel's business, not the compiler's; the compiler exits when the kernel's channel closes.
 */
import { serveCompiler } from "./serve.js";
import type { ToCompiler } from "./messages.js";

process.on("SIGINT", () => {});
process.on("disconnect", () => process.exit(0));
process.send!({ ready: true }); // before the warm-up: the kernel learns at once that the snapshot works
serveCompiler(
  (message) => process.send!(message),
  (handler) => process.on("message", (message) => handler(message as ToCompiler)),
);
