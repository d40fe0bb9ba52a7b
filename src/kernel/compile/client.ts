/** The main thread's handle on the compiler worker: each request is a promise of the worker's answer. */
import { Worker } from "node:worker_threads";
import type { CompilerOp, CompilerOps, FromCompiler, ToCompiler } from "./messages.js";

export class CompilerClient {
  private readonly worker = new Worker(new URL("./worker.js", import.meta.url));
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.on("message", (m: FromCompiler) => {
      const waiter = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) waiter?.resolve(m.result);
      else waiter?.reject(new Error(`simlab compiler: ${m.error}`));
    });
    this.worker.on("error", (e) => this.failAll(e));
    this.worker.on("exit", (code) => {
      this.exited = new Error(`the TypeScript compiler thread stopped (exit code ${code})`);
      this.failAll(this.exited);
    });
  }

  /** Set once the worker is gone: later requests fail at once instead of waiting forever. */
  private exited: Error | undefined;

  private failAll(e: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(e);
    this.pending.clear();
  }

  request<K extends CompilerOp>(op: K, args: CompilerOps[K]["args"]): Promise<CompilerOps[K]["result"]> {
    const id = this.nextId++;
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker.postMessage({ id, op, args } as ToCompiler);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
