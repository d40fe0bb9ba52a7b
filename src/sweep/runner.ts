import { mkdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { DisplaySink } from "../display/types.js";
import { SimlabError } from "../errors.js";
import { claimRun, completeRun, failRun, hostId, openStore, refreshWideView, releaseRun, releaseRunsOfDeadOwners, saveSweep, type Store } from "../store/index.js";
import { canonicalKnobs } from "../store/sweeps.js";
import { catalog as defaultCatalog, type Catalog } from "./catalog.js";
import { confirmNativeRuns, confirmSettings } from "./confirm-native.js";
import { isOwnerAlive, ownerId } from "./owner.js";
import { planSweep, prepareTools, type PlannedRun, type Variant } from "./plan.js";
import { expandPoints } from "./points.js";
import { Pool } from "./pool.js";
import { Progress, type ProgressSnapshot } from "./progress.js";
import { loadSpecFile, parseSpec, type SweepSpec } from "./spec.js";
import { RunFailure, type FailureReason, type Knobs, type Program, type RunOutput } from "./types.js";
import { createWorkRoot, killProcessesUnder, reapOrphans, removeWorkRoot } from "./workdir.js";

export interface RunSweepOptions {
  /** The store: a file path (opened and closed here) or an open store. */
  db: string | Store;
  /** Concurrent runs; default: the spec's `options.jobs`, else the number of cores. */
  jobs?: number;
  /** Per-run timeout in seconds; default: the spec's. */
  timeout?: number;
  /** Aborting stops the sweep: in-flight runs are killed (their whole process group) and left to a resume. */
  signal?: AbortSignal;
  /** The notebook's display: one progress bar, updated in place. */
  display?: DisplaySink;
  onProgress?: (progress: ProgressSnapshot) => void;
  /** Workloads and tools (tests substitute their own). */
  catalog?: Catalog;
}

export interface FailedRun {
  workload: string;
  knobs: Knobs;
  tool: string;
  reason: FailureReason;
  message: string;
}

export interface SweepSummary {
  sweep: string;
  points: number;
  /** (point, tool) pairs. */
  runs: number;
  cached: number;
  done: number;
  failed: number;
  failures: FailedRun[];
  /** Reference and drift runs executed besides the points' own. */
  extraRuns: number;
  jobs: number;
  wallSeconds: number;
  /** Sum of the builds' and runs' own wall times (what a perfect engine would spend, divided by jobs). */
  workSeconds: number;
}

/** Extra time a run gets beyond its timeout before the engine stops waiting for the tool to end it. */
const WATCHDOG_GRACE_MS = 5000;
/** After an abort, how long in-flight runs get to end before the engine kills what is left and returns. */
const ABORT_GRACE_MS = 1500;

type Outcome = { ok: true; output: RunOutput; attempts: number } | { ok: false; failure: RunFailure; attempts: number; wallSeconds?: number };

function asFailure(e: unknown): RunFailure {
  if (e instanceof RunFailure) return e;
  if (e instanceof SimlabError) return new RunFailure("unavailable", e.message);
  return new RunFailure("crash", e instanceof Error ? e.message : String(e));
}

/**
 * Runs a sweep: every point of every workload under every tool, skipping what the store already holds.
 * Native (exclusive) runs go first, one at a time with nothing else running; then simulations fill the
 * pool. Resolves to a summary (failed runs are recorded and counted, not thrown); rejects with a
 * SimlabError for a bad spec, an unavailable tool, or an interrupt (after killing every in-flight run).
 */
export async function runSweep(input: string | SweepSpec | unknown, options: RunSweepOptions): Promise<SweepSummary> {
  const started = performance.now();
  const cat = options.catalog ?? defaultCatalog;
  const spec = typeof input === "string" ? loadSpecFile(input, { catalog: cat }) : parseSpec(input, "spec", { catalog: cat });
  const signal = options.signal ?? new AbortController().signal;
  const jobs = options.jobs ?? spec.options.jobs ?? os.availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new SimlabError(`jobs must be a positive integer, got ${jobs}`, "e.g. --jobs 2");
  const timeoutMs = (options.timeout ?? spec.options.timeout) * 1000;
  const points = expandPoints(spec, cat);
  const tools = await prepareTools(spec, cat);
  if (signal.aborted) throw interrupted(spec.name, 0, 0);

  const db = typeof options.db === "string" ? openStore(options.db) : options.db;
  const workRoot = createWorkRoot();
  let closed = false;
  try {
    releaseRunsOfDeadOwners(db, isOwnerAlive);
    reapOrphans();
    const plan = planSweep(db, spec, points, tools);
    const sweepId = saveSweep(db, spec.name, spec, plan.points);
    refreshWideView(db);
    const owner = ownerId();
    const host = hostId(db);
    const progress = new Progress(spec.name, plan.totalPairs, plan.cachedPairs, { display: options.display, onProgress: options.onProgress });
    progress.report(true);

    const pool = new Pool(jobs, signal);
    const failures: FailedRun[] = [];
    let workSeconds = 0;
    let extraRuns = 0;
    const exclusiveCpu = os.availableParallelism() - 1;

    // Builds: one shared pool task per variant, queued before any run so native timing never overlaps them.
    const builds = new Map<string, Promise<Program | RunFailure>>();
    let buildCount = 0;
    const build = (v: Variant) => {
      let b = builds.get(v.key);
      if (!b) {
        const dir = join(workRoot, `build-${buildCount++}`);
        b = pool
          .run(
            async () => {
              mkdirSync(dir, { recursive: true });
              const t0 = performance.now();
              try {
                return await v.workload.build(v.knobs, dir, signal);
              } finally {
                workSeconds += (performance.now() - t0) / 1000;
              }
            },
          )
          .catch((e: unknown) => asFailure(e));
        builds.set(v.key, b);
      }
      return b;
    };
    for (const run of plan.runs) void build(run.variant);

    // Reference checksums: known from the store, or settled when the reference run is recorded.
    const checksums = new Map<string, Promise<{ checksum?: string; failed?: string }>>();
    for (const [key, checksum] of plan.knownChecksums) checksums.set(key, Promise.resolve({ checksum }));
    const settleReference = new Map<string, (value: { checksum?: string; failed?: string }) => void>();
    for (const run of plan.runs) {
      if (run.drift || checksums.has(run.key) || !plan.runs.some((r) => r.referenceKey === run.key)) continue;
      checksums.set(run.key, new Promise((resolve) => settleReference.set(run.key, resolve)));
    }

    let runCount = 0;
    const execute = async (run: PlannedRun): Promise<Outcome | "skipped" | "cancelled"> => {
      const program = await build(run.variant);
      if (signal.aborted) return "cancelled";
      const runId = claimRun(db, {
        cacheKey: run.key,
        kind: run.drift ? "drift" : "point",
        sweepId,
        workload: run.variant.kind,
        knobs: canonicalKnobs(run.variant.knobs),
        tool: run.tool.identity.name,
        toolVersion: run.tool.identity.version,
        hostId: host,
        owner,
      });
      if (runId === undefined) return "skipped"; // another live sweep is running it, or has just finished it
      progress.runStarted();
      if (program instanceof RunFailure) {
        failRun(db, runId, { reason: "build", message: program.message, ...program.details, attempts: 1 });
        return { ok: false, failure: program, attempts: 1 };
      }
      let attempts = 0;
      for (;;) {
        attempts++;
        const workDir = join(workRoot, `run-${runCount++}`);
        mkdirSync(workDir);
        const watchdog = AbortSignal.timeout(timeoutMs + WATCHDOG_GRACE_MS);
        const either = eitherSignal(signal, watchdog);
        const t0 = performance.now();
        let outcome: Outcome;
        try {
          const output = await run.tool.tool.run(program, {
            signal: either.signal,
            timeoutMs,
            workDir,
            cpu: run.tool.tool.exclusive ? exclusiveCpu : undefined,
          });
          outcome = { ok: true, output, attempts };
        } catch (e) {
          const failure = watchdog.aborted && !signal.aborted ? new RunFailure("timeout", `no result after ${timeoutMs / 1000} s (the tool ignored its timeout)`) : asFailure(e);
          outcome = { ok: false, failure, attempts, wallSeconds: (performance.now() - t0) / 1000 };
        } finally {
          either.dispose();
          workSeconds += (performance.now() - t0) / 1000;
        }
        if (signal.aborted) {
          releaseRun(db, runId);
          return "cancelled";
        }
        const retry = !outcome.ok && (outcome.failure.reason === "crash" || outcome.failure.reason === "timeout") && attempts <= spec.options.retries;
        if (!retry) return record(run, runId, outcome);
      }
    };

    // Recording waits for the reference's checksum outside the pool, so no slot idles on it.
    const recordQueue: Promise<unknown>[] = [];
    const record = (run: PlannedRun, runId: number, outcome: Outcome): Outcome => {
      recordQueue.push(
        (async () => {
          let final = outcome;
          if (outcome.ok && run.referenceKey) {
            const reference = await checksums.get(run.referenceKey)!;
            const mine = outcome.output.checksum;
            if (reference.failed) final = { ok: false, failure: new RunFailure("checksum", `cannot verify the result: the reference variant failed (${reference.failed})`), attempts: outcome.attempts };
            else if (mine !== undefined && reference.checksum !== undefined && mine !== reference.checksum) {
              final = { ok: false, failure: new RunFailure("checksum", `checksum ${mine} differs from the reference variant's ${reference.checksum}`), attempts: outcome.attempts };
            }
          }
          if (closed) return;
          if (final.ok) completeRun(db, runId, { stats: final.output.stats, checksum: final.output.checksum, wallSeconds: final.output.wallSeconds, attempts: final.attempts });
          else {
            const f = final.failure;
            const wallSeconds = outcome.ok ? outcome.output.wallSeconds : outcome.wallSeconds;
            failRun(db, runId, { reason: f.reason, message: f.message, exitCode: f.details.exitCode, stderrTail: f.details.stderrTail, command: f.details.command, wallSeconds, attempts: final.attempts });
          }
          settleReference.get(run.key)?.(final.ok ? { checksum: final.output.checksum } : { failed: final.failure.reason });
          if (run.pairs === 0) extraRuns++;
          else {
            if (!final.ok) failures.push({ workload: run.variant.kind, knobs: run.variant.knobs, tool: run.tool.identity.name, reason: final.failure.reason, message: final.failure.message });
            progress.settled(final.ok, run.pairs);
          }
        })(),
      );
      return outcome;
    };

    const tasks = plan.runs.map((run) =>
      pool
        .run(() => execute(run), { exclusive: run.tool.tool.exclusive ?? false })
        .catch(() => "cancelled" as const)
        .then((result) => {
          if (result === "skipped") progress.skipped(run.pairs);
          if (result !== "cancelled" && result !== "skipped") return;
          settleReference.get(run.key)?.({ failed: "cancelled" });
        }),
    );

    const allSettled = Promise.all(tasks).then(() => Promise.all(recordQueue));
    if (signal.aborted) await abortWait(allSettled);
    else {
      const aborted = new Promise<"aborted">((resolve) => signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
      if ((await Promise.race([allSettled, aborted])) === "aborted") await abortWait(allSettled);
    }
    const confirm = confirmSettings(spec);
    if (confirm && !signal.aborted) {
      const workDir = () => {
        const dir = join(workRoot, `run-${runCount++}`);
        mkdirSync(dir);
        return dir;
      };
      extraRuns += await confirmNativeRuns(db, plan, { confirm, build, workDir, signal, timeoutMs, cpu: exclusiveCpu });
    }
    if (signal.aborted) {
      killProcessesUnder(workRoot);
      const snap = progress.snapshot();
      throw interrupted(spec.name, snap.done + snap.failed + snap.cached, snap.total);
    }
    refreshWideView(db);
    const snap = progress.finish();
    return {
      sweep: spec.name,
      points: plan.points.length,
      runs: plan.totalPairs,
      cached: plan.cachedPairs,
      done: snap.done,
      failed: snap.failed,
      failures,
      extraRuns,
      jobs,
      wallSeconds: (performance.now() - started) / 1000,
      workSeconds,
    };
  } finally {
    killProcessesUnder(workRoot);
    closed = true;
    removeWorkRoot(workRoot);
    if (typeof options.db === "string") db.close();
  }
}

/** A signal aborted by either of two (AbortSignal.any, which @types/node 20.9 does not declare). */
function eitherSignal(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  if (a.aborted) onA();
  else if (b.aborted) onB();
  a.addEventListener("abort", onA, { once: true });
  b.addEventListener("abort", onB, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      a.removeEventListener("abort", onA);
      b.removeEventListener("abort", onB);
    },
  };
}

/** Waits for in-flight runs to end after an abort, at most ABORT_GRACE_MS. */
async function abortWait(settled: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, ABORT_GRACE_MS)))]);
  clearTimeout(timer);
}

function interrupted(name: string, settled: number, total: number): SimlabError {
  return new SimlabError(`sweep '${name}' interrupted after ${settled} of ${total} runs`, "run the same sweep again to resume: finished runs are kept");
}
