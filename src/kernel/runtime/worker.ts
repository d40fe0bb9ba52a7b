/**
 * The runtime worker: runs compiled cell code and magics, keeps the notebook's variables, and reports streams,
 * displays and results to the main thread. It runs in a worker thread so the main thread (protocol, heartbeat,
 * compiler) stays responsive whatever the user's code does; see ../engine.ts for the interrupt design.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import vm from "node:vm";
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { SimlabError, isSimlabError } from "../../core/errors.js";
import { clearOutput, display, html, image, latex, markdown, mimeBundle, setDisplaySink, svg, updateDisplay } from "../../display/index.js";
import type { MimeBundle } from "../../display/types.js";
import type { MagicPart } from "../../magics/cell.js";
import type { HistoryLocation, MagicContext, NotebookVariables } from "../../magics/types.js";
import { DEFINE_EXPORT, LAST_EXPRESSION } from "../compile/exports.js";
import { TICK } from "../compile/instrument.js";
import { notebookRequire } from "../modules.js";
import { CELL_FILE_PREFIX, type CellFile, cellTraceback } from "./traceback.js";
import {
  CHDIR_DONE,
  type CellError,
  type ChdirAnswer,
  type CompiledCode,
  type FromRuntime,
  INTERRUPT_FLAG,
  type Outcome,
  type ToRuntime,
} from "./messages.js";

const port = parentPort!;
const { interruptBuffer, chdirPort, history: startHistory } = workerData as { interruptBuffer: SharedArrayBuffer; chdirPort: MessagePort; history?: HistoryLocation };
const interruptFlag = new Int32Array(interruptBuffer);
let history = startHistory;
const post = (message: FromRuntime) => port.postMessage(message);

// ---- %cd and user code's process.chdir: workers may not chdir, so the main thread does it for us ----
const CHDIR_TIMEOUT_MS = 10_000;
process.chdir = (directory: string) => {
  Atomics.store(interruptFlag, CHDIR_DONE, 0);
  post({ type: "chdir", directory: String(directory) });
  Atomics.wait(interruptFlag, CHDIR_DONE, 0, CHDIR_TIMEOUT_MS);
  const answer = receiveMessageOnPort(chdirPort)?.message as ChdirAnswer | undefined;
  if (!answer) throw new Error(`process.chdir(${JSON.stringify(directory)}): the kernel did not answer`);
  if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
};

class Interrupted extends Error {
  override readonly name = "Interrupted";
}

/** Carries a compile or runtime error of code a magic ran through `runCode`. */
class CellFailure extends Error {
  constructor(readonly cellError: CellError) {
    super(cellError.evalue);
  }
}

// ---- output: streams and displays go to the main thread, in order ----
function streamTo(name: "stdout" | "stderr"): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, callback) {
      post({ type: "stream", name, text: String(chunk) });
      callback();
    },
  });
}
const out = streamTo("stdout");
const err = streamTo("stderr");
const writeTo = (stream: Writable) =>
  ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    post({ type: "stream", name: stream === out ? "stdout" : "stderr", text });
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (typeof done === "function") (done as () => void)();
    return true;
  }) as typeof process.stdout.write;
process.stdout.write = writeTo(out);
process.stderr.write = writeTo(err);
globalThis.console = new Console({ stdout: out, stderr: err });

function postDisplay(value: unknown, update: boolean, displayId?: string): void {
  const bundle = mimeBundle(value);
  try {
    post({ type: "display", bundle, displayId, update });
  } catch {
    post({ type: "display", bundle: { "text/plain": String(bundle["text/plain"]) }, displayId, update });
  }
}
setDisplaySink({
  display: (value, options) => postDisplay(value, false, options?.displayId),
  update: (displayId, value) => postDisplay(value, true, displayId),
  clear: (wait) => post({ type: "clear", wait }),
});

// ---- the notebook's scope, as tslab's compiled code expects it ----
// ---- input(prompt): a line of text from the frontend, through the main thread's stdin channel ----
let nextInputId = 1;
const pendingInputs = new Map<number, { resolve: (value: string) => void; reject: (e: Error) => void }>();

function input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
  const id = nextInputId++;
  const answer = new Promise<string>((resolve, reject) => {
    pendingInputs.set(id, { resolve, reject });
    post({ type: "input", id, prompt: String(prompt), password: options.password === true });
  });
  return raceInterrupt(answer).finally(() => pendingInputs.delete(id));
}

/** The kernel's own globals in every cell (declared for the type checker in compile/prelude.ts). */
const cellGlobals: Record<string, unknown> = { display, updateDisplay, clearOutput, input, html, markdown, latex, svg, image };

/**
 * The notebook's variables: compiled code reads earlier cells' names from this object. A plain object, not a Proxy:
 * top-level code writes every assignment through to it, and a Proxy trap made that 30× slower.
 */
function createExports(): Record<string, unknown> {
  return {};
}

/**
 * Compiled imports define getters on `exports` (compile/compiler.ts routes them here): store plain values instead,
 * so later cells can reassign the names.
 */
function defineExport(target: Record<string, unknown>, name: string, attributes: PropertyDescriptor): void {
  if (name !== "__esModule") target[name] = attributes.get ? attributes.get() : attributes.value;
}
let exportsObject = createExports();
/** `require` resolves from the current directory, so it follows %cd. */
const requireByFolder = new Map<string, NodeJS.Require>();
function cellRequire(): NodeJS.Require {
  const folder = process.cwd();
  let req = requireByFolder.get(folder);
  if (!req) requireByFolder.set(folder, (req = notebookRequire(folder)));
  return req;
}
const followingRequire = Object.assign((id: string) => cellRequire()(id), {
  resolve: (id: string, options?: { paths?: string[] }) => cellRequire().resolve(id, options),
}) as unknown as NodeJS.Require;
const cellScope = { exports: exportsObject, require: followingRequire };
const bound: Record<string, unknown> = {};
Object.assign(globalThis, {
  __simlab_cell: cellScope,
  __simlab_bound: bound,
  [DEFINE_EXPORT]: defineExport,
  [TICK]: () => {
    if (Atomics.load(interruptFlag, INTERRUPT_FLAG) !== 0) throw new Interrupted("the cell was interrupted");
  },
  ...cellGlobals,
});

// ---- interrupts: the current request's abort controller and a promise that rejects on interrupt ----
let current: { abort: AbortController; interrupted: Promise<never> } | undefined;

function beginRequest(): AbortSignal {
  const abort = new AbortController();
  const interrupted = new Promise<never>((_, reject) => {
    abort.signal.addEventListener("abort", () => reject(new Interrupted("the cell was interrupted")), { once: true });
  });
  interrupted.catch(() => {});
  current = { abort, interrupted };
  return abort.signal;
}

function raceInterrupt<T>(promise: Promise<T>): Promise<T> {
  return current ? Promise.race([promise, current.interrupted]) : promise;
}

/** Every compiled piece of code run so far, by file name: functions defined in a cell keep failing in its terms. */
const cellFiles = new Map<string, CellFile>();
let nextCellFile = 1;

async function runCompiled(code: CompiledCode): Promise<unknown> {
  const filename = `${CELL_FILE_PREFIX}${nextCellFile++}`;
  cellFiles.set(filename, { label: code.label ?? "cell", ...(code.lines ? { lines: code.lines } : {}) });
  const wrapped = `(${code.hasAwait ? "async " : ""}function (exports, require) {${code.js}\n})(__simlab_cell.exports, __simlab_cell.require)`;
  const returned: unknown = vm.runInThisContext(wrapped, { filename, displayErrors: false });
  if (code.hasAwait) await raceInterrupt(returned as Promise<unknown>);
  if (code.lastExpressionVar === undefined) return undefined;
  const value = exportsObject[code.lastExpressionVar];
  exportsObject[code.lastExpressionVar] = undefined; // not `delete`: that would turn the scope into a slow dictionary
  return value;
}

// ---- errors as Jupyter shows them ----
function toCellError(e: unknown): CellError {
  if (e instanceof CellFailure) return e.cellError;
  if (e instanceof Interrupted) return { ename: "Interrupted", evalue: e.message, traceback: [`Interrupted: ${e.message}`] };
  if (isSimlabError(e)) return { ename: "SimlabError", evalue: e.format(), traceback: e.format().split("\n") };
  if (e instanceof Error) {
    return { ename: e.name, evalue: e.message, traceback: cellTraceback(e.stack ?? `${e.name}: ${e.message}`, cellFiles) };
  }
  const text = mimeBundle(e)["text/plain"] as string;
  return { ename: "Error", evalue: `thrown value ${text}`, traceback: [`Uncaught ${text}`] };
}

function resultBundle(value: unknown): MimeBundle | undefined {
  return value === undefined ? undefined : mimeBundle(value);
}

// ---- runCode for magics: compile on the main thread, run here ----
let nextCompileId = 1;
const pendingCompiles = new Map<number, (result: CompiledCode | CellError) => void>();

async function runCode(code: string): Promise<unknown> {
  const id = nextCompileId++;
  const compiled = await raceInterrupt(
    new Promise<CompiledCode | CellError>((resolve) => {
      pendingCompiles.set(id, resolve);
      post({ type: "compile", id, code });
    }),
  );
  if ("ename" in compiled) throw new CellFailure(compiled);
  try {
    const value = await runCompiled(compiled);
    post({ type: "ran", id, ok: true });
    return value;
  } catch (e) {
    post({ type: "ran", id, ok: false });
    throw e;
  }
}

/** The notebook's variables for %who, %whos and %reset. */
const variables: NotebookVariables = {
  names: () => Object.keys(exportsObject).filter((name) => name !== LAST_EXPRESSION),
  get: (name) => exportsObject[name],
  reset: () => {
    resetVariables();
    post({ type: "variables-reset" });
  },
};

function resetVariables(): void {
  exportsObject = createExports();
  cellScope.exports = exportsObject;
  for (const name of Object.keys(bound)) delete bound[name];
}

async function runMagicPart(part: MagicPart, signal: AbortSignal): Promise<Outcome> {
  const { runMagic } = await import("../../magics/registry.js");
  const ctx: MagicContext = {
    body: part.body,
    signal,
    display: { display: (value, options) => display(value, options), update: (id, value) => updateDisplay(id, value) },
    stdout: (text) => post({ type: "stream", name: "stdout", text }),
    stderr: (text) => post({ type: "stream", name: "stderr", text }),
    runCode,
    page: (text) => post({ type: "page", text }),
    variables,
    ask: (prompt) => input(prompt),
    ...(history ? { history } : {}),
  };
  const result = await raceInterrupt(runMagic(part, ctx));
  if (part.bindTo !== undefined) {
    bound[part.bindTo] = result.value;
    return { ok: true, boundType: result.bindType ?? "any" };
  }
  return { ok: true, bundle: resultBundle(result.value) };
}

async function handleRequest(id: number, work: (signal: AbortSignal) => Promise<Outcome>): Promise<void> {
  const signal = beginRequest();
  let outcome: Outcome;
  try {
    outcome = await work(signal);
  } catch (e) {
    outcome = { ok: false, error: toCellError(e) };
  }
  current = undefined;
  post({ type: "done", id, outcome });
}

port.on("message", (message: ToRuntime) => {
  switch (message.type) {
    case "run":
      void handleRequest(message.id, async () => ({ ok: true, bundle: resultBundle(await runCompiled(message.code)) }));
      break;
    case "magic":
      void handleRequest(message.id, (signal) => runMagicPart(message.part, signal));
      break;
    case "compiled":
      pendingCompiles.get(message.id)?.(message.result);
      pendingCompiles.delete(message.id);
      break;
    case "interrupt":
      current?.abort.abort();
      break;
    case "input-reply": {
      const waiter = pendingInputs.get(message.id);
      if (message.error !== undefined) waiter?.reject(new SimlabError(message.error, "run the cell in a frontend that accepts input (Jupyter's allow_stdin)"));
      else waiter?.resolve(message.value ?? "");
      break;
    }
    case "reset":
      resetVariables();
      break;
    case "history":
      history = message.location;
      break;
  }
});

// A rejected promise nobody awaited (e.g. a timer callback's error) is shown, not fatal.
process.on("unhandledRejection", (reason) => {
  const error = toCellError(reason);
  post({ type: "stream", name: "stderr", text: `${error.traceback.join("\n")}\n` });
});
process.on("uncaughtException", (e) => {
  const error = toCellError(e);
  post({ type: "stream", name: "stderr", text: `${error.traceback.join("\n")}\n` });
});

post({ type: "ready" });
