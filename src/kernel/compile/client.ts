/**
 * The kernel's handle on the compiler: each request is a promise of the compiler's answer. The compiler is a child
 * process started from the startup snapshot when one exists for this Node and TypeScript (snapshot/), else a worker
 * thread. If the snapshot process dies before it says it is ready (an unusable blob), the requests sent so far go to
 * a worker instead, and the blob is marked failed so later kernels do not try it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { CompilerOp, CompilerOps, FromCompiler, ToCompiler } from "./messages.js";
import { snapshotsEnabled } from "./snapshot/build.js";
import { buildFailed, buildStamp, currentManifest, snapshotPaths } from "./snapshot/manifest.js";

/** Where the compiler runs. */
export type CompilerKind = "snapshot" | "worker";

export class CompilerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (e: Error) => void }>();
  private worker: Worker | undefined;
  private child: ChildProcess | undefined;
  /** Requests sent to the snapshot process before it said it was ready: a fallback worker gets them again. */
  private unconfirmed: ToCompiler[] | undefined;
  /** Set once the compiler is gone: later requests fail at once instead of waiting forever. */
  private exited: Error | undefined;
  kind: CompilerKind;

  constructor() {
    const blob = snapshotBlob();
    if (blob) {
      this.kind = "snapshot";
      this.startChild(blob);
    } else {
      this.kind = "worker";
      this.startWorker();
    }
  }

  private onAnswer(m: FromCompiler): void {
    const waiter = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.ok) waiter?.resolve(m.result);
    else waiter?.reject(new Error(`simlab compiler: ${m.error}`));
  }

  private stopped(e: Error): void {
    this.exited = e;
    this.failAll(e);
  }

  private startWorker(): void {
    const worker = new Worker(new URL("./worker.js", import.meta.url));
    worker.on("message", (m: FromCompiler) => this.onAnswer(m));
    worker.on("error", (e) => this.failAll(e));
    worker.on("exit", (code) => this.stopped(new Error(`the TypeScript compiler thread stopped (exit code ${code})`)));
    this.worker = worker;
  }

  private startChild(blob: string): void {
    this.unconfirmed = [];
    const child = spawn(process.execPath, ["--experimental-require-module", "--disable-warning=ExperimentalWarning", "--snapshot-blob", blob], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    child.on("message", (m: FromCompiler | { ready: true }) => {
      if ("ready" in m) this.unconfirmed = undefined;
      else this.onAnswer(m);
    });
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.unconfirmed) {
        markFailed();
        const resend = this.unconfirmed;
        this.unconfirmed = undefined;
        this.kind = "worker";
        this.startWorker();
        for (const message of resend) this.worker!.postMessage(message);
        return;
      }
      this.stopped(new Error(`the TypeScript compiler process stopped (${why})`));
    };
    child.on("error", (e) => gone(e.message));
    child.on("exit", (code, signal) => gone(signal ? `signal ${signal}` : `exit code ${code}`));
    this.child = child;
  }

  private failAll(e: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(e);
    this.pending.clear();
  }

  request<K extends CompilerOp>(op: K, args: CompilerOps[K]["args"]): Promise<CompilerOps[K]["result"]> {
    const id = this.nextId++;
    if (this.exited) return Promise.reject(this.exited);
    const message = { id, op, args } as ToCompiler;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      if (this.child) {
        this.unconfirmed?.push(message);
        this.child.send(message);
      } else {
        this.worker!.postMessage(message);
      }
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    await this.worker?.terminate();
  }
}

/** The startup snapshot to start the compiler from, if one was built and has not failed. */
function snapshotBlob(): string | undefined {
  if (!snapshotsEnabled()) return undefined;
  try {
    const paths = snapshotPaths();
    return currentManifest(paths) && !buildFailed(paths) ? paths.blob : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the blob's manifest aside as failed, so no kernel tries it again until TypeScript or simlab changes. */
function markFailed(): void {
  try {
    const paths = snapshotPaths();
    writeFileSync(paths.failed, JSON.stringify(currentManifest(paths) ?? { stamp: buildStamp() }));
  } catch {
    // the next kernel tries the blob again
  }
}
