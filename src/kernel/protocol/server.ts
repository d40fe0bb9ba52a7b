/**
 * The Jupyter protocol server (messaging 5.3): answers shell and control requests, publishes status, streams,
 * displays, results and errors on IOPub, runs execute requests one at a time, and aborts only the requests
 * queued behind a failed cell.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MimeBundle } from "../../display/types.js";
import { type Channel, KernelSockets } from "./sockets.js";
import type { CompilerClient } from "../compile/client.js";
import { Engine } from "../engine.js";
import { simlabRoot } from "../modules.js";
import type { CellError } from "../runtime/messages.js";
import { type ConnectionInfo, type JsonObject, type JupyterMessage, PROTOCOL_VERSION, createMessage } from "./wire.js";
import { randomUUID } from "node:crypto";
import { MAGIC_NAMES } from "../../magics/names.js";
import { withStaticImage } from "../../plot/static-image.js";
import { codeAtCursor, commOpen, executeRequest, historyRequest, inputReply, shutdownRequest } from "./requests.js";
import type { KernelHistory } from "../history.js";

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

const simlabVersion = packageVersion(join(simlabRoot, "package.json"));
const typescriptVersion = packageVersion(join(simlabRoot, "node_modules", "@tslab", "typescript-for-tslab", "package.json"));

export const kernelInfo: JsonObject = {
  status: "ok",
  protocol_version: PROTOCOL_VERSION,
  implementation: "simlab",
  implementation_version: simlabVersion,
  language_info: {
    name: "typescript",
    version: typescriptVersion,
    mimetype: "text/typescript",
    file_extension: ".ts",
    codemirror_mode: { name: "javascript", typescript: true },
    pygments_lexer: "typescript",
  },
  banner: `simlab ${simlabVersion} — TypeScript ${typescriptVersion} on Node.js ${process.version}`,
  help_links: [{ text: "simlab magics", url: "https://github.com/simlab/simlab#magics" }],
};

export class KernelServer {
  private readonly sockets: KernelSockets;
  private readonly engine: Engine;
  private readonly session = randomUUID();
  /** Opened once the sockets listen (SQLite's load stays off the way to the first reply); cells before that are not kept. */
  private history: KernelHistory | undefined;
  /** Pager text produced by the running execute request, sent as its reply's "page" payload. */
  private pages: string[] = [];
  private executionCount = 0;
  private readonly queue: JupyterMessage[] = [];
  private running = false;
  private outbox: Promise<void> = Promise.resolve();
  /** The execute request whose outputs are being produced (late outputs go to the last one). */
  private outputParent: JupyterMessage | undefined;
  private stopped!: () => void;
  /** The pending input() call, answered by the next input_reply (undefined: cancelled). */
  private inputWaiter: ((value: string | undefined) => void) | undefined;
  /** Resolves when the kernel was asked to shut down. */
  readonly done = new Promise<void>((resolve) => (this.stopped = resolve));

  /** `compiler`: the compiler worker, started as early as possible (see index.ts). */
  constructor(info: ConnectionInfo, compiler?: CompilerClient) {
    this.sockets = new KernelSockets(info);
    this.engine = new Engine(
      {
        stream: (name, text) => this.publish("stream", { name, text }),
        display: (bundle, displayId, update) => this.publishDisplay(bundle, displayId, update),
        clear: (wait) => this.publish("clear_output", { wait }),
        input: (prompt, password) => this.requestInput(prompt, password),
        page: (text) => this.pages.push(text),
      },
      compiler,
    );
  }

  async start(): Promise<void> {
    await this.sockets.bind();
    this.sockets.listen((channel, message) => this.dispatch(channel, message));
    const { KernelHistory } = await import("../history.js");
    this.history = KernelHistory.open();
    this.engine.setHistory(this.history.reader);
  }

  interrupt(): void {
    this.engine.interrupt();
  }

  async close(): Promise<void> {
    await this.engine.close();
    this.history?.close();
    this.sockets.close();
  }

  /** stdin: sends input_request for the running execute request and resolves with the input_reply's value. */
  private requestInput(prompt: string, password: boolean): Promise<string> {
    const parent = this.outputParent;
    if (!parent || !executeRequest(parent.content).allowStdin) {
      return Promise.reject(new Error("input(): this frontend does not accept input (allow_stdin is false)"));
    }
    this.inputWaiter?.(undefined);
    return new Promise((resolve, reject) => {
      this.inputWaiter = (value) => (value === undefined ? reject(new Error("input(): a newer input request replaced this one")) : resolve(value));
      this.send("stdin", createMessage("input_request", { prompt, password }, { session: this.session, parent }));
    });
  }

  /**
   * Every outgoing message goes through one queue, so a figure whose static image is still rendering keeps its
   * place: the stream output after it, the idle status and the execute_reply all follow it.
   */
  private send(channel: Channel, message: JupyterMessage | (() => Promise<JupyterMessage>)): void {
    this.outbox = this.outbox
      .then(async () => {
        await this.sockets.send(channel, typeof message === "function" ? await message() : message);
      })
      .catch((e: Error) => {
        process.stderr.write(`simlab kernel: could not send on ${channel}: ${e.message}\n`);
      });
  }

  private publish(msgType: string, content: JsonObject, parent = this.outputParent): void {
    this.send("iopub", createMessage(msgType, content, { session: this.session, parent, identities: [Buffer.from(msgType)] }));
  }

  private publishDisplay(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
    const transient = displayId === undefined ? {} : { display_id: displayId };
    this.publishRich(update ? "update_display_data" : "display_data", bundle, { transient });
  }

  /** display_data, update_display_data or execute_result; figures get their static image first. */
  private publishRich(msgType: string, bundle: MimeBundle, content: JsonObject): void {
    const parent = this.outputParent;
    const message = (type: string, body: JsonObject) => createMessage(type, body, { session: this.session, parent, identities: [Buffer.from(type)] });
    this.send("iopub", async () => {
      const { bundle: data, note } = await withStaticImage(bundle);
      if (note) await this.sockets.send("iopub", message("stream", { name: "stderr", text: note }));
      return message(msgType, { ...content, data, metadata: {} } as JsonObject);
    });
  }

  private status(state: "busy" | "idle", parent: JupyterMessage): void {
    this.publish("status", { execution_state: state }, parent);
  }

  private reply(channel: Channel, parent: JupyterMessage, content: JsonObject): void {
    const msgType = parent.header.msg_type.replace(/_request$/, "_reply");
    this.send(channel, createMessage(msgType, content, { session: this.session, parent }));
  }

  private dispatch(channel: Channel, message: JupyterMessage): void {
    const type = message.header.msg_type;
    if (type === "execute_request" && channel === "shell") {
      this.queue.push(message);
      void this.drain();
      return;
    }
    if (type === "input_reply") {
      this.answer(channel, message); // stdin replies carry no busy/idle status
      return;
    }
    this.status("busy", message);
    try {
      this.answer(channel, message);
    } catch (e) {
      process.stderr.write(`simlab kernel: ${type} failed: ${(e as Error).stack}\n`);
      this.reply(channel, message, { status: "error", ename: "InternalError", evalue: (e as Error).message, traceback: [] });
    }
    this.status("idle", message);
  }

  /** Every request except execute_request: answered at once, also while a cell runs. */
  private answer(channel: Channel, message: JupyterMessage): void {
    const content = message.content;
    switch (message.header.msg_type) {
      case "kernel_info_request":
        this.reply(channel, message, kernelInfo);
        return;
      case "is_complete_request":
        void this.answerLater(channel, message, async () => ({ ...(await this.engine.isComplete(codeAtCursor(content).code)) }));
        return;
      case "complete_request":
        void this.answerLater(channel, message, () => this.complete(message));
        return;
      case "inspect_request":
        void this.answerLater(channel, message, async () => {
          const { code, cursorPos } = codeAtCursor(content);
          const text = await this.engine.inspect(code, cursorPos);
          return { status: "ok", found: text !== undefined, data: text === undefined ? {} : { "text/plain": text }, metadata: {} };
        });
        return;
      case "history_request":
        this.reply(channel, message, { status: "ok", history: this.history?.answer(historyRequest(content, this.history.session)) ?? [] });
        return;
      case "comm_info_request":
        this.reply(channel, message, { status: "ok", comms: {} });
        return;
      case "comm_open":
        // No comm targets: close it, as IPython does for an unknown target.
        this.publish("comm_close", { comm_id: commOpen(content).commId, data: {} }, message);
        return;
      case "comm_msg":
      case "comm_close":
        return;
      case "input_reply": {
        const waiter = this.inputWaiter;
        this.inputWaiter = undefined;
        waiter?.(inputReply(content).value);
        return;
      }
      case "interrupt_request":
        this.engine.interrupt();
        this.reply(channel, message, { status: "ok" });
        return;
      case "shutdown_request":
        void this.shutdown(channel, message);
        return;
      default:
        process.stderr.write(`simlab kernel: ignored ${message.header.msg_type} on ${channel}\n`);
    }
  }

  /** Replies with what `work` resolves to, or with an error reply if it fails. */
  private async answerLater(channel: Channel, message: JupyterMessage, work: () => Promise<JsonObject>): Promise<void> {
    try {
      this.reply(channel, message, await work());
    } catch (e) {
      process.stderr.write(`simlab kernel: ${message.header.msg_type} failed: ${(e as Error).stack}\n`);
      this.reply(channel, message, { status: "error", ename: "InternalError", evalue: (e as Error).message, traceback: [] });
    }
  }

  private async complete(message: JupyterMessage): Promise<JsonObject> {
    const { code, cursorPos: cursor } = codeAtCursor(message.content);
    const linePrefix = /[^\n]*$/.exec(code.slice(0, cursor))![0];
    const magic = /%%?[\w-]*$/.exec(linePrefix);
    let result: { start: number; end: number; matches: string[] };
    if (magic && linePrefix.trimStart() === magic[0]) {
      // `%na|` completes to magic names, prefix included (`%name`, `%%name`).
      const names = MAGIC_NAMES.filter((name) => name.startsWith(magic[0]));
      result = { start: cursor - magic[0].length, end: cursor, matches: names };
    } else {
      result = await this.engine.complete(code, cursor);
    }
    return { status: "ok", matches: result.matches, cursor_start: result.start, cursor_end: result.end, metadata: {} };
  }

  private async shutdown(channel: Channel, message: JupyterMessage): Promise<void> {
    const { restart } = shutdownRequest(message.content);
    this.reply(channel, message, { status: "ok", restart });
    if (restart) {
      this.executionCount = 0;
      this.history?.restart();
      this.engine.restart();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the reply leave
    this.stopped();
  }

  /** Runs queued execute requests one at a time. */
  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.queue.length > 0) await this.execute(this.queue.shift()!);
    this.running = false;
  }

  private async execute(message: JupyterMessage): Promise<void> {
    const { code, silent, storeHistory, stopOnError } = executeRequest(message.content);
    this.status("busy", message);
    this.outputParent = message;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count });
    if (storeHistory) this.history?.addInput(count, code);
    this.pages = [];

    const outcome = code.trim() === "" ? { ok: true as const } : await this.engine.execute(code, `In [${count}]`);
    if (outcome.ok) {
      if (storeHistory && outcome.bundle) this.history?.addOutput(count, String(outcome.bundle["text/plain"] ?? ""));
      if (outcome.bundle && !silent) this.publishRich("execute_result", outcome.bundle, { execution_count: count });
      const payload = this.pages.length === 0 ? [] : [{ source: "page", data: { "text/plain": this.pages.join("\n\n") }, start: 0 }];
      this.reply("shell", message, { status: "ok", execution_count: count, user_expressions: {}, payload });
    } else {
      this.publishError(outcome.error);
      this.reply("shell", message, { status: "error", execution_count: count, ...outcome.error, user_expressions: {}, payload: [] });
      if (stopOnError) this.abortQueued();
    }
    this.status("idle", message);
  }

  private publishError(error: CellError): void {
    this.publish("error", { ename: error.ename, evalue: error.evalue, traceback: error.traceback });
  }

  /** stop_on_error: the requests already queued behind the failed cell are answered "aborted". */
  private abortQueued(): void {
    for (const message of this.queue.splice(0)) {
      this.status("busy", message);
      this.reply("shell", message, { status: "aborted", execution_count: this.executionCount });
      this.status("idle", message);
    }
  }
}
