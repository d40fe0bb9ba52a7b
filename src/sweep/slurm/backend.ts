import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RunFailure, type FailureReason } from "../../core/contracts.js";
import { tail } from "../../proc/tail.js";
import { failed, type Outcome } from "../outcome.js";
import type { PlannedRun } from "../plan.js";
import type { SweepSpec } from "../spec.js";
import { submittedArrays } from "./adopt.js";
import { cancelArrays } from "./cancel.js";
import type { TaskRun } from "./chunk.js";
import { readResult, removeResult, resultKeys } from "./ingest.js";
import type { SlurmOptions } from "./options.js";
import { arrayStatus, isLive, jobCompFile, type TaskStatus } from "./poll.js";
import { chunked, submitArray, type JobRecord } from "./submit.js";
import type { SlurmWorkdir } from "./workdir.js";

/** simlab's own CLI on this machine: what nodes run by default (a shared install, same paths everywhere). */
const OWN_CLI = fileURLToPath(new URL("../../cli/main.js", import.meta.url));
/** Runs asked for within this window go into one job array. */
const BATCH_MS = 50;

export interface SlurmBackendContext {
  spec: SweepSpec;
  options: SlurmOptions;
  dir: SlurmWorkdir;
  timeoutMs: number;
  signal: AbortSignal;
  /** Queued and running runs on the cluster, after every look at the queue. */
  onCounts(queued: number, running: number): void;
}

interface Waiter {
  run: PlannedRun;
  resolve(outcome: Outcome | "cancelled"): void;
}

/** Where a run is on the cluster: which job array's task has it. */
interface Placement {
  jobId: string;
  task: number;
}

/**
 * Simulator runs as Slurm job-array tasks. `outcome(run)` resolves when the run's result file appears in the
 * shared work directory (the driver then records it: tasks never write the store), or with a RunFailure naming
 * the Slurm state when its task ended without writing it (exit 1, time limit, cancelled, node failure), or with
 * "cancelled" on an interrupt. Runs still held by a live task of an earlier driver's array are adopted, not
 * submitted again; results an earlier driver did not ingest are taken as they are.
 */
export class SlurmBackend {
  private readonly waiting = new Map<string, Waiter>();
  private readonly placed = new Map<string, Placement>();
  private readonly arrays = new Map<string, JobRecord>();
  private toSubmit: PlannedRun[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private jobComp: string | undefined;
  private closed = false;
  private fatal: ((e: unknown) => void) | undefined;
  /** Job ids with tasks still queued or running, as of the last look. */
  private live = new Set<string>();

  private constructor(private readonly ctx: SlurmBackendContext) {}

  /** Opens the work directory and adopts the arrays earlier drivers of this sweep left running. */
  static async open(ctx: SlurmBackendContext, onError: (e: unknown) => void): Promise<SlurmBackend> {
    const backend = new SlurmBackend(ctx);
    backend.fatal = onError;
    ctx.dir.create();
    backend.jobComp = await jobCompFile();
    for (const record of submittedArrays(ctx.dir)) {
      const status = await arrayStatus(record.jobId, backend.jobComp);
      record.tasks.forEach((keys, task) => {
        const s = status.get(task);
        if (s && isLive(s.state)) for (const key of keys) backend.placed.set(key, { jobId: record.jobId, task });
      });
      if ([...status.values()].some((s) => isLive(s.state))) {
        backend.arrays.set(record.jobId, record);
        backend.live.add(record.jobId);
      } else forgetArray(ctx.dir, record); // over: its results (if any) are in results/ and still count
    }
    ctx.signal.addEventListener("abort", () => backend.cancelWaiting(), { once: true });
    return backend;
  }

  /** The run's outcome from the cluster (see the class). */
  outcome(run: PlannedRun): Promise<Outcome | "cancelled"> {
    if (this.ctx.signal.aborted || this.closed) return Promise.resolve("cancelled");
    return new Promise((resolve) => {
      this.waiting.set(run.key, { run, resolve });
      const earlier = readResult(this.ctx.dir, run.key);
      if (earlier && (earlier.outcome.ok || this.placed.has(run.key))) return this.settle(run.key, earlier.outcome);
      // A failure an earlier driver recorded already: this resume runs it again, as a local resume would.
      if (earlier) removeResult(this.ctx.dir, run.key);
      if (!this.placed.has(run.key)) {
        this.toSubmit.push(run);
        this.batchTimer ??= setTimeout(() => this.submitBatch(), BATCH_MS);
      }
      this.polling ??= this.pollLoop();
    });
  }

  /** Job ids this driver submitted or adopted. */
  jobIds(): string[] {
    return [...this.arrays.keys()];
  }

  /**
   * Stops looking at the cluster. On an interrupt (or an error), cancels every array of the sweep that still
   * has tasks, so nothing is left queued; otherwise removes the work directory's records of ended arrays.
   */
  async close(cancel: boolean): Promise<void> {
    this.closed = true;
    clearTimeout(this.batchTimer);
    this.cancelWaiting();
    await this.polling;
    await this.submitting;
    if (cancel) await cancelArrays(this.jobIds());
    else for (const record of this.arrays.values()) forgetArray(this.ctx.dir, record);
  }

  private cancelWaiting(): void {
    for (const key of [...this.waiting.keys()]) this.settle(key, "cancelled");
  }

  private settle(key: string, outcome: Outcome | "cancelled"): void {
    const w = this.waiting.get(key);
    if (!w) return;
    this.waiting.delete(key);
    this.placed.delete(key);
    w.resolve(outcome);
    if (outcome !== "cancelled") removeResult(this.ctx.dir, key);
  }

  private submitBatch(): void {
    this.batchTimer = undefined;
    const runs = this.toSubmit.filter((r) => this.waiting.has(r.key) && !this.placed.has(r.key));
    this.toSubmit = [];
    if (runs.length === 0 || this.closed) return;
    const { spec, options, timeoutMs } = this.ctx;
    const tasks: TaskRun[][] = chunked(runs, options.chunk).map((chunk) =>
      chunk.map((r) => ({ key: r.key, variantKey: r.variant.key, kind: r.variant.kind, workloadOptions: r.variant.workloadOptions, knobs: r.variant.knobs, tool: r.tool.identity.name })),
    );
    const command = options.command ?? `${shell(process.execPath)} ${shell(OWN_CLI)}`;
    const submitted = submitArray(this.ctx.dir, options, spec.name, command, { spec, timeoutMs, retries: spec.options.retries, parallel: options.cpusPerTask, tasks });
    submitted.then(
      (record) => {
        this.arrays.set(record.jobId, record);
        this.live.add(record.jobId);
        record.tasks.forEach((keys, task) => keys.forEach((key) => this.placed.set(key, { jobId: record.jobId, task })));
        if (this.closed) void cancelArrays([record.jobId]); // interrupted while sbatch ran
      },
      (e) => this.fatal?.(e),
    );
    this.submitting = submitted.then(() => undefined, () => undefined);
  }

  private submitting: Promise<void> = Promise.resolve();

  /** Every poll interval: ingest new result files, then settle runs whose task ended without one. */
  private async pollLoop(): Promise<void> {
    const interval = this.ctx.options.pollSeconds * 1000;
    try {
      while (!this.closed && !this.ctx.signal.aborted) {
        await this.submitting;
        this.ingest();
        if (this.waiting.size === 0 && this.toSubmit.length === 0 && this.batchTimer === undefined) {
          // Nothing asked for right now; a later `outcome` restarts the loop.
          this.polling = undefined;
          return;
        }
        await this.checkTasks();
        if (this.closed) return;
        await sleep(interval, undefined, { signal: this.ctx.signal }).catch(() => undefined);
      }
    } catch (e) {
      this.fatal?.(e);
    }
  }

  private ingest(): void {
    const present = resultKeys(this.ctx.dir);
    for (const key of present) {
      if (!this.waiting.has(key)) continue;
      const result = readResult(this.ctx.dir, key);
      if (result) this.settle(key, result.outcome);
    }
  }

  private async checkTasks(): Promise<void> {
    let queued = 0;
    let running = 0;
    for (const jobId of [...this.live]) {
      const record = this.arrays.get(jobId)!;
      const status = await arrayStatus(jobId, this.jobComp);
      let anyLive = false;
      const ended: Array<{ task: number; s: TaskStatus | undefined }> = [];
      record.tasks.forEach((keys, task) => {
        const s = status.get(task);
        const open = keys.filter((k) => this.waiting.has(k) && this.placed.get(k)?.jobId === jobId);
        if (s && isLive(s.state)) {
          anyLive = true;
          if (s.state === "PENDING") queued += open.length;
          else running += open.length;
        } else if (open.length > 0) ended.push({ task, s });
      });
      if (ended.length > 0) {
        this.ingest(); // a result renamed in just before the task ended
        for (const { task, s } of ended) {
          for (const key of record.tasks[task]!) {
            if (this.waiting.has(key) && this.placed.get(key)?.jobId === jobId) this.settle(key, failed(this.taskFailure(jobId, task, s), 1));
          }
        }
      }
      if (!anyLive) this.live.delete(jobId);
    }
    this.ctx.onCounts(queued, running);
  }

  /** Why a task's runs have no result: its Slurm state and exit code, and the tail of its log. */
  private taskFailure(jobId: string, task: number, s: TaskStatus | undefined): RunFailure {
    const state = s?.state ?? "UNKNOWN";
    const reason: FailureReason = state === "TIMEOUT" || state === "DEADLINE" ? "timeout" : state === "CANCELLED" ? "cancelled" : state === "COMPLETED" ? "bad-output" : "crash";
    const log = join(this.ctx.dir.logs, `${jobId}_${task}.log`);
    let logTail = "";
    try {
      logTail = tail(readFileSync(log, "utf8"));
    } catch {
      // No log (the task never started, or the log is on a node's own disk).
    }
    const exit = s?.exitCode ? ` (exit code ${s.exitCode})` : "";
    const what = state === "COMPLETED" ? "completed without writing this run's result" : `ended ${state}${exit}`;
    const exitCode = s?.exitCode ? Number(s.exitCode.split(":")[0]) : undefined;
    return new RunFailure(reason, `Slurm task ${jobId}_${task} ${what}; its log: ${log}${logTail ? `\n${logTail}` : ""}`, {
      exitCode: Number.isInteger(exitCode) ? exitCode : undefined,
      stderrTail: logTail || undefined,
      command: `sbatch array ${jobId}, task ${task}`,
    });
  }
}

/** Removes an ended array's record and submission (its logs stay, for the failures that name them). */
function forgetArray(dir: SlurmWorkdir, record: JobRecord): void {
  rmSync(dir.jobFile(record.jobId), { force: true });
  rmSync(dir.submission(record.submission), { recursive: true, force: true });
}

function shell(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
