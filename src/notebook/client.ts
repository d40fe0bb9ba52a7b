import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import { SimlabError } from "../core/errors.js";
import { createMessage, decodeMessage, encodeMessage, endpoint, Signer, WireError, type ConnectionInfo, type JsonObject, type JupyterMessage } from "../kernel/protocol/wire.js";
import { killGroup } from "../proc/process-groups.js";

/** How to start a kernel: argv with `{connection_file}` where the connection file goes (as in kernel.json). */
export interface KernelLaunch {
  argv: string[];
  env?: Record<string, string>;
  /** "signal" sends SIGINT to interrupt; "message" (default) sends interrupt_request on the control channel. */
  interruptMode?: "signal" | "message";
}

/** Launches this checkout's simlab kernel with the running Node. */
export function simlabKernelLaunch(): KernelLaunch {
  const main = fileURLToPath(new URL("../cli/main.js", import.meta.url));
  return { argv: [process.execPath, main, "kernel", "-f", "{connection_file}"], interruptMode: "message" };
}

export interface ExecuteReply {
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  ename?: string;
  evalue?: string;
}

type Listener = (message: JupyterMessage) => void;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A minimal Jupyter client over zeromq: starts a kernel process with a fresh connection file, executes code,
 * forwards IOPub messages, interrupts and shuts the kernel down (killing its process group if it lingers).
 */
export class KernelClient {
  private readonly session = randomUUID();
  private readonly shellWaiters = new Map<string, Listener>();
  private readonly iopubListeners = new Map<string, Listener>();
  private stderrTail = "";
  private exited: SimlabError | undefined;
  private readonly exitListeners = new Set<(e: SimlabError) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly launch: KernelLaunch,
    private readonly signer: Signer,
    private readonly shell: zmq.Dealer,
    private readonly control: zmq.Dealer,
    private readonly iopub: zmq.Subscriber,
    private readonly connectionDir: string,
  ) {
    child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
    });
    child.on("exit", (code, signal) => {
      const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
      this.exited = new SimlabError(
        `the kernel exited (${signal ?? `code ${code}`})`,
        tail ? `its last words: ${tail}` : "start it by hand with `simlab kernel -f CONN` to see why",
      );
      for (const listener of this.exitListeners) listener(this.exited);
    });
    void this.receive(shell, this.shellWaiters);
    void this.receive(iopub, this.iopubListeners);
    void this.receive(control, this.shellWaiters);
  }

  /** Starts the kernel and waits until it answers kernel_info and its IOPub channel delivers. */
  static async start(launch: KernelLaunch, options: { cwd?: string; timeoutMs?: number } = {}): Promise<KernelClient> {
    const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = (await freePorts(5)) as [number, number, number, number, number];
    const info: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shellPort,
      iopub_port: iopubPort,
      stdin_port: stdinPort,
      control_port: controlPort,
      hb_port: hbPort,
      key: randomBytes(32).toString("hex"),
      signature_scheme: "hmac-sha256",
    };
    const dir = await mkdtemp(join(tmpdir(), "simlab-run-"));
    const connectionFile = join(dir, "kernel.json");
    await writeFile(connectionFile, JSON.stringify(info), { mode: 0o600 });
    const [command, ...args] = launch.argv.map((a) => a.replaceAll("{connection_file}", connectionFile));
    const child = spawn(command!, args, {
      cwd: options.cwd,
      env: { ...process.env, ...launch.env },
      // Its own process group, so a terminal's Ctrl-C reaches only the runner, which then shuts it down.
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const spawnError = new Promise<never>((_, reject) =>
      child.once("error", (e: NodeJS.ErrnoException) => reject(new SimlabError(`cannot start the kernel '${command}': ${e.code ?? e.message}`, "check the kernel command"))),
    );
    const shell = new zmq.Dealer({ linger: 0 });
    const control = new zmq.Dealer({ linger: 0 });
    const iopub = new zmq.Subscriber({ linger: 0 });
    shell.connect(endpoint(info, info.shell_port));
    control.connect(endpoint(info, info.control_port));
    iopub.connect(endpoint(info, info.iopub_port));
    iopub.subscribe();
    const client = new KernelClient(child, launch, new Signer(info.key, info.signature_scheme), shell, control, iopub, dir);
    try {
      await Promise.race([client.waitUntilReady(options.timeoutMs ?? 60_000), spawnError]);
    } catch (e) {
      await client.shutdown();
      throw e;
    }
    return client;
  }

  private async receive(socket: zmq.Dealer | zmq.Subscriber, listeners: Map<string, Listener>): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch {
        return; // socket closed
      }
      let message: JupyterMessage;
      try {
        message = decodeMessage(frames, this.signer);
      } catch (e) {
        if (e instanceof WireError) continue; // badly signed or malformed: ignored, as the spec asks
        throw e;
      }
      const parent = message.parent_header.msg_id;
      if (parent !== undefined) listeners.get(parent)?.(message);
    }
  }

  /** Rejects when the kernel process dies before `promise` settles. */
  private unlessExited<T>(promise: Promise<T>): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    let listener: ((e: SimlabError) => void) | undefined;
    const died = new Promise<never>((_, reject) => {
      listener = reject;
      this.exitListeners.add(reject);
    });
    return Promise.race([promise, died]).finally(() => this.exitListeners.delete(listener!));
  }

  /** Sends a request and resolves with its reply (matched by msg_id), forwarding IOPub side effects. */
  private request(socket: zmq.Dealer, msgType: string, content: JsonObject, onIopub?: Listener): { id: string; reply: Promise<JupyterMessage> } {
    const message = createMessage(msgType, content, { session: this.session });
    const id = message.header.msg_id;
    if (onIopub) this.iopubListeners.set(id, onIopub);
    const reply = new Promise<JupyterMessage>((resolve) => this.shellWaiters.set(id, resolve)).finally(() => this.shellWaiters.delete(id));
    void socket.send(encodeMessage(message, this.signer)).catch(() => undefined);
    return { id, reply: this.unlessExited(reply) };
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const late = () => new SimlabError(`the kernel did not answer within ${Math.round(timeoutMs / 1000)} s`, "check that the kernel starts: simlab kernel -f CONN");
    const first = this.request(this.shell, "kernel_info_request", {});
    await withTimeout(first.reply, timeoutMs, late);
    // IOPub subscriptions connect asynchronously: ask again until a status message for our request arrives.
    for (;;) {
      let seen!: () => void;
      const statusSeen = new Promise<void>((resolve) => (seen = resolve));
      const probe = this.request(this.shell, "kernel_info_request", {}, (m) => {
        if (m.header.msg_type === "status") seen();
      });
      try {
        await withTimeout(Promise.all([statusSeen, probe.reply]), 500, () => new Error("no status yet"));
        return;
      } catch (e) {
        if (e instanceof SimlabError) throw e;
        if (Date.now() > deadline) throw late();
      } finally {
        this.iopubListeners.delete(probe.id);
      }
    }
  }

  /**
   * Executes code; each IOPub message it causes goes to `onIopub` until the kernel is idle again. With
   * `timeoutMs`, a cell still running is interrupted and the promise rejects with a SimlabError.
   */
  async execute(code: string, options: { onIopub: (msgType: string, content: JsonObject) => void; timeoutMs?: number }): Promise<ExecuteReply> {
    let idle!: () => void;
    const becameIdle = new Promise<void>((resolve) => (idle = resolve));
    const { id, reply } = this.request(
      this.shell,
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      (m) => {
        if (m.header.msg_type === "status") {
          if (m.content.execution_state === "idle") idle();
        } else {
          options.onIopub(m.header.msg_type, m.content);
        }
      },
    );
    const done = Promise.all([reply, this.unlessExited(becameIdle)]);
    try {
      const [message] = options.timeoutMs === undefined ? await done : await this.withInterruptOnTimeout(done, options.timeoutMs);
      const content = message.content;
      const status = content.status === "ok" || content.status === "error" ? content.status : "aborted";
      return {
        status,
        executionCount: typeof content.execution_count === "number" ? content.execution_count : null,
        ...(typeof content.ename === "string" ? { ename: content.ename } : {}),
        ...(typeof content.evalue === "string" ? { evalue: content.evalue } : {}),
      };
    } finally {
      this.iopubListeners.delete(id);
    }
  }

  private async withInterruptOnTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
    const timedOut = Symbol("timeout");
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([work, new Promise<typeof timedOut>((r) => (timer = setTimeout(() => r(timedOut), timeoutMs)))]);
    clearTimeout(timer);
    if (first !== timedOut) return first;
    await this.interrupt();
    // Give the kernel a moment to finish the interrupted cell so its outputs are recorded.
    await withTimeout(work, 5000, () => new Error("")).catch(() => undefined);
    throw new SimlabError(`the cell did not finish within ${timeoutMs / 1000} s and was interrupted`, "raise --timeout, or make the cell faster");
  }

  /** Interrupts the running cell, by message or by SIGINT as the kernelspec says. */
  async interrupt(): Promise<void> {
    if (this.launch.interruptMode === "signal") {
      this.child.kill("SIGINT");
      return;
    }
    await withTimeout(this.request(this.control, "interrupt_request", {}).reply, 2000, () => new Error("no interrupt_reply")).catch(() => undefined);
  }

  /** Asks the kernel to shut down; kills its process group if it is still there after `graceMs`. */
  async shutdown(graceMs = 3000): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
      void this.request(this.control, "shutdown_request", { restart: false }).reply.catch(() => undefined);
      await withTimeout(gone, graceMs, () => new Error("still running")).catch(() => undefined);
    }
    if (this.child.pid !== undefined) killGroup(this.child.pid);
    for (const socket of [this.shell, this.control, this.iopub]) socket.close();
    await rm(this.connectionDir, { recursive: true, force: true });
  }
}
