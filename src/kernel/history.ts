/**
 * The kernel's side of the input history: one session per kernel launch (and per restart) in the user's
 * history file, cells stored as they run, and history_request answered in the messaging spec's shape
 * (`[session, line, input]`, or `[session, line, [input, output]]` when output is asked for).
 */
import type { HistoryLocation } from "../magics/types.js";
import { HistoryStore, type HistoryEntry } from "../store/history.js";
import { historyFile } from "./jupyter-paths.js";
import type { HistoryRequest } from "./protocol/requests.js";

export class KernelHistory {
  private current: number;

  private constructor(
    private readonly store: HistoryStore,
    private readonly file: string,
  ) {
    this.current = store.startSession();
  }

  /** Opens the user's history file; if it cannot be opened, history lives in memory for this launch (with a warning). */
  static open(file = historyFile()): KernelHistory {
    try {
      return new KernelHistory(new HistoryStore(file), file);
    } catch (e) {
      process.stderr.write(`simlab kernel: cannot open the history file ${file} (${(e as Error).message}); history is kept in memory this time\n`);
      return new KernelHistory(new HistoryStore(":memory:"), ":memory:");
    }
  }

  get session(): number {
    return this.current;
  }

  /** Where the runtime's `%history` reads (undefined when history is in memory only). */
  readonly reader = (): HistoryLocation | undefined => (this.file === ":memory:" ? undefined : { file: this.file, session: this.current });

  /** A kernel restart begins a new session, as a new IPython process does. */
  restart(): void {
    this.store.endSession(this.current);
    this.current = this.store.startSession();
  }

  addInput(line: number, source: string): void {
    this.guard(() => this.store.addInput(this.current, line, source));
  }

  addOutput(line: number, output: string): void {
    this.guard(() => this.store.addOutput(this.current, line, output));
  }

  /** A full disk or a locked file must not fail the cell: the history misses the entry and says so once. */
  private warned = false;
  private guard(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!this.warned) process.stderr.write(`simlab kernel: history not saved: ${(e as Error).message}\n`);
      this.warned = true;
    }
  }

  answer(request: HistoryRequest): unknown[] {
    const entries = this.entries(request);
    return entries.map((e) => (request.output ? [e.session, e.line, [e.source, e.output ?? null]] : [e.session, e.line, e.source]));
  }

  private entries(request: HistoryRequest): HistoryEntry[] {
    const output = { output: request.output };
    switch (request.access) {
      case "tail":
        return this.store.tail(request.n, output);
      case "range":
        return this.store.range(request.session, request.start, request.stop, output);
      case "search":
        return this.store.search(request.pattern, { ...output, unique: request.unique, ...(request.n === undefined ? {} : { n: request.n }) });
    }
  }

  close(): void {
    this.store.endSession(this.current);
    this.store.close();
  }
}
