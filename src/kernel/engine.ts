/**
 * The execution engine: splits a cell into TypeScript and magics, compiles TypeScript in the compiler worker and
 * runs everything in the runtime worker.
 *
 * Why a worker: user code may block its thread (`while (true) {}`) or starve it with microtasks
 * (`while (true) { await Promise.resolve() }`). With the code in a worker, this thread keeps serving heartbeat,
 * control (interrupt_request) and SIGINT. An interrupt sets a shared flag that every compiled loop checks
 * (compile/instrument.ts) and rejects whatever the cell awaits; a magic sees its AbortSignal fire. If the worker still
 * does not answer (a loop inside library code), it is replaced by a fresh one and the notebook state is reset.
 */
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { MimeBundle } from "../display/types.js";
import { type CellPart, splitCell } from "../magics/cell.js";
import type { HistoryLocation } from "../magics/types.js";
import type { Completeness } from "./compile/compiler.js";
import { CompilerClient } from "./compile/client.js";
import type { Completion } from "./compile/messages.js";
import { CHDIR_DONE, type CellError, type ChdirAnswer, type FromRuntime, INTERRUPT_FLAG, type Outcome, type ToRuntime } from "./runtime/messages.js";

/** Where a cell's side output goes (the server turns these into IOPub messages). */
export interface OutputListener {
  stream(name: "stdout" | "stderr", text: string): void;
  display(bundle: MimeBundle, displayId: string | undefined, update: boolean): void;
  clear(wait: boolean): void;
  /** Asks the frontend for a line of text (rejects when the running request does not allow stdin). */
  input(prompt: string, password: boolean): Promise<string>;
  /** Text for the frontend's pager (execute_reply payload), e.g. the help of `%name?` or `obj?`. */
  page(text: string): void;
}

/** How long an interrupted cell may take to stop before the runtime is replaced. */
const INTERRUPT_GRACE_MS = 1500;

/** The compiler thread failed (a bug or out of memory): the cell fails with a clear error, the kernel lives on. */
function internalError(e: Error): CellError {
  return { ename: "InternalError", evalue: e.message, traceback: [e.message, "hint: restart the kernel"] };
}

function interruptedError(detail: string): CellError {
  return { ename: "Interrupted", evalue: detail, traceback: [`Interrupted: ${detail}`] };
}

/** The expression of an `obj?` / `?obj` / `obj.field??` cell, or undefined for any other cell. */
export function objectQuery(cell: string): string | undefined {
  const match = /^\s*(\?{0,2})([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\?{0,2})\s*$/.exec(cell);
  if (!match || (match[1] === "") === (match[3] === "")) return undefined;
  return match[2];
}

export class Engine {
  private readonly interruptBuffer = new SharedArrayBuffer(8);
  private readonly interruptFlag = new Int32Array(this.interruptBuffer);
  private worker!: Worker;
  private chdirPort!: MessagePort;
  private workerReady!: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: Outcome) => void>();
  /** Declarations of code compiled for a magic's runCode, committed when it ran. */
  private readonly pendingDeclarations = new Map<number, string>();
  private escalation: NodeJS.Timeout | undefined;
  /** Where `%history` reads, asked each time a runtime starts (a restart begins a new session). */
  private history: () => HistoryLocation | undefined = () => undefined;
  /** A cell is being executed (compiled or run): an interrupt applies to it. */
  private executing = false;
  /** How tracebacks name the running cell (`In [3]`). */
  private label = "cell";
  private closing = false;

  /** `compiler`: pass one created at process start, so the converter is built while the kernel starts. */
  constructor(
    private readonly output: OutputListener,
    private readonly compiler = new CompilerClient(),
  ) {
    this.startWorker();
  }

  private startWorker(): void {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL("./runtime/worker.js", import.meta.url), {
      workerData: { interruptBuffer: this.interruptBuffer, chdirPort: port2, history: this.history() },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.chdirPort?.close();
    this.chdirPort = port1;
    this.worker = worker;
    this.workerReady = new Promise((resolve, reject) => {
      worker.once("message", (m: FromRuntime) => (m.type === "ready" ? resolve() : reject(new Error("runtime did not start"))));
      worker.once("error", reject);
    });
    this.workerReady.catch(() => {});
    worker.on("message", (m: FromRuntime) => this.onRuntimeMessage(m));
    worker.on("error", (e) => this.output.stream("stderr", `simlab kernel: runtime error: ${e.stack ?? e.message}\n`));
    worker.on("exit", (code) => {
      if (this.worker !== worker || this.closing) return;
      this.replaceWorker(`the notebook runtime exited (code ${code}); its variables were reset`);
    });
  }

  /** Drops the runtime and its state, failing whatever was running with `reason`. */
  private replaceWorker(reason: string): void {
    const old = this.worker;
    this.startWorker();
    void old.terminate();
    void this.compiler.request("reset", {});
    this.pendingDeclarations.clear();
    const error = interruptedError(reason);
    for (const resolve of this.pending.values()) resolve({ ok: false, error });
    this.pending.clear();
  }

  private onRuntimeMessage(m: FromRuntime): void {
    switch (m.type) {
      case "done": {
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        resolve?.(m.outcome);
        break;
      }
      case "stream":
        this.output.stream(m.name, m.text);
        break;
      case "display":
        this.output.display(m.bundle, m.displayId, m.update);
        break;
      case "clear":
        this.output.clear(m.wait);
        break;
      case "compile":
        void this.compileForRuntime(m.id, m.code);
        break;
      case "chdir":
        this.chdir(m.directory);
        break;
      case "input": {
        const worker = this.worker;
        this.output.input(m.prompt, m.password).then(
          (value) => worker === this.worker && this.post({ type: "input-reply", id: m.id, value }),
          (e: Error) => worker === this.worker && this.post({ type: "input-reply", id: m.id, error: e.message }),
        );
        break;
      }
      case "page":
        this.output.page(m.text);
        break;
      case "variables-reset":
        void this.compiler.request("reset", {});
        break;
      case "ran": {
        const declarations = this.pendingDeclarations.get(m.id);
        this.pendingDeclarations.delete(m.id);
        // Kept even when the code failed part way: what it assigned before the error stays readable (see runTypeScript).
        if (declarations !== undefined) this.commit(declarations);
        break;
      }
    }
  }

  /**
   * Workers may not call process.chdir, but the working directory is the process's: changing it here moves the
   * runtime's `process.cwd()` and relative paths too. The runtime waits on CHDIR_DONE for the answer.
   */
  private chdir(directory: string): void {
    let answer: ChdirAnswer = {};
    try {
      process.chdir(directory);
    } catch (e) {
      answer = { error: { message: (e as Error).message, code: (e as NodeJS.ErrnoException).code } };
    }
    this.chdirPort.postMessage(answer);
    Atomics.store(this.interruptFlag, CHDIR_DONE, 1);
    Atomics.notify(this.interruptFlag, CHDIR_DONE);
  }

  /** A magic's `runCode`: compile here, run in the runtime, commit the declarations once it ran (`ran`). */
  private async compileForRuntime(id: number, code: string): Promise<void> {
    const worker = this.worker;
    const compiled = await this.compiler.request("compile", { code, lineOffset: 0 }).catch((e: Error) => internalError(e));
    if (worker !== this.worker) return; // the runtime was replaced meanwhile
    if ("ename" in compiled) {
      this.post({ type: "compiled", id, result: compiled });
    } else {
      this.pendingDeclarations.set(id, compiled.declarations);
      this.post({ type: "compiled", id, result: { ...compiled.code, label: this.label } });
    }
  }

  /** Keeps declarations for later cells (a failure means the compiler thread is gone, which its next request reports). */
  private commit(declarations: string): void {
    this.compiler.request("commit", { declarations }).catch(() => {});
  }

  /** Tells this and every later runtime where `%history` reads. */
  setHistory(location: () => HistoryLocation | undefined): void {
    this.history = location;
    this.post({ type: "history", location: location() });
  }

  private post(message: ToRuntime): void {
    this.worker.postMessage(message);
  }

  private async request(message: ToRuntime & { id: number }): Promise<Outcome> {
    await this.workerReady;
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.post(message);
    });
  }

  /** Runs a cell; the outcome carries the last part's value as a MIME bundle. */
  async execute(cell: string, label = "cell"): Promise<Outcome> {
    Atomics.store(this.interruptFlag, INTERRUPT_FLAG, 0);
    this.label = label;
    const asked = objectQuery(cell);
    if (asked !== undefined) return this.describe(asked);
    let last: Outcome = { ok: true };
    this.executing = true;
    try {
      for (const part of splitCell(cell)) {
        // An interrupt while a part was being compiled (nothing ran yet to see the flag) stops the cell here.
        if (Atomics.load(this.interruptFlag, INTERRUPT_FLAG) !== 0) return { ok: false, error: interruptedError("the cell was interrupted") };
        last = await this.runPart(part);
        if (!last.ok) break;
      }
    } finally {
      this.executing = false;
      clearTimeout(this.escalation);
    }
    return last;
  }

  private async runPart(part: CellPart): Promise<Outcome> {
    if (part.kind === "code") return this.runTypeScript(part.code, part.line);
    const outcome = await this.request({ type: "magic", id: this.nextId++, part });
    if (!outcome.ok || outcome.boundType === undefined || part.bindTo === undefined) return outcome;
    // Declare the bound variable through TypeScript so later cells know its name and type.
    const bind = `let ${part.bindTo}: ${outcome.boundType} = (globalThis as any).__simlab_bound[${JSON.stringify(part.bindTo)}];`;
    const bound = await this.runTypeScript(bind, part.line);
    return bound.ok ? { ok: true } : bound;
  }

  private async runTypeScript(code: string, line: number): Promise<Outcome> {
    const compiled = await this.compiler.request("compile", { code, lineOffset: line }).catch((e: Error) => internalError(e));
    if ("ename" in compiled) return { ok: false, error: compiled };
    if (Atomics.load(this.interruptFlag, INTERRUPT_FLAG) !== 0) return { ok: false, error: interruptedError("the cell was interrupted") };
    const worker = this.worker;
    const outcome = await this.request({ type: "run", id: this.nextId++, code: { ...compiled.code, label: this.label } });
    // As in IPython, variables a cell assigned before it threw or was interrupted stay: compiled code writes each
    // top-level variable through to the runtime's scope as it changes, so only the declarations must be kept. Not
    // when the runtime was replaced: its variables are gone.
    if (worker === this.worker) this.commit(compiled.declarations);
    return outcome;
  }

  /**
   * `obj?`: the object's TypeScript type (for a function, its signature) and documentation from the compiler, and a
   * summary of its value from the runtime, through the pager. An unknown name is one line on stdout, as in IPython.
   */
  private async describe(expression: string): Promise<Outcome> {
    const hover = await this.inspect(expression, expression.length).catch(() => undefined);
    const value = hover === undefined ? undefined : await this.runTypeScript(expression, 0);
    if (hover === undefined || value === undefined || !value.ok) {
      this.output.stream("stdout", `Object \`${expression}\` not found.\n`);
      return { ok: true };
    }
    const [signature = "", ...doc] = hover.split("\n\n");
    const text = String(value.bundle?.["text/plain"] ?? "undefined");
    const lines = [`Type:      ${signature.replace(/\n/g, "\n           ")}`, `Value:     ${text.length > 1000 ? `${text.slice(0, 999)}…` : text.replace(/\n/g, "\n           ")}`];
    if (doc.length > 0) lines.push(`Docstring: ${doc.join("\n\n")}`);
    this.output.page(lines.join("\n"));
    return { ok: true };
  }

  /** Interrupts the running cell; replaces the runtime if the cell has not stopped after a grace period. */
  interrupt(): void {
    if (!this.executing && this.pending.size === 0) return;
    Atomics.store(this.interruptFlag, INTERRUPT_FLAG, 1);
    this.post({ type: "interrupt" });
    clearTimeout(this.escalation);
    this.escalation = setTimeout(() => {
      if (this.pending.size > 0) this.replaceWorker("the cell did not stop when interrupted, so the kernel's variables were reset");
    }, INTERRUPT_GRACE_MS);
    this.escalation.unref();
  }

  /** Kernel restart: a fresh runtime and no declarations. */
  restart(): void {
    this.replaceWorker("the kernel restarted");
  }

  /** Completion at `cursor`: option names, choices and paths inside a magic line's arguments, TypeScript elsewhere. */
  async complete(code: string, cursor: number): Promise<Completion> {
    return (await this.compiler.request("completeMagic", { code, cursor })) ?? this.compiler.request("complete", { code, cursor });
  }

  async inspect(code: string, cursor: number): Promise<string | undefined> {
    return (await this.compiler.request("inspect", { code, cursor })) ?? undefined;
  }

  isComplete(code: string): Promise<Completeness> {
    return this.compiler.request("isComplete", { code });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.escalation);
    await Promise.all([this.compiler.close(), this.worker.terminate()]);
  }
}
