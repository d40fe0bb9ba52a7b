import os from "node:os";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DisplaySink } from "../display/types.js";
import { SimlabError } from "../core/errors.js";
import { hostId, openStore, refreshWideView, releaseRun, releaseRunsOfDeadOwners, saveSweep, type Store } from "../store/index.js";
import { attempt } from "./attempt.js";
import { Builds } from "./builds.js";
import { catalog as defaultCatalog, type Catalog } from "./catalog.js";
import { claim, waitWhileHeld, type Claimer } from "./claim.js";
import { failed, type Outcome } from "./outcome.js";
import { confirmNativeRuns, confirmSettings } from "./confirm-native.js";
import { isOwnerAlive, ownerId } from "./owner.js";
import { closeTools, planSweep, prepareTools, type PlannedRun, type PreparedTool, type SweepPlan } from "./plan.js";
import { expandPoints } from "./points.js";
import { Pool } from "./pool.js";
import { Progress, type ProgressSnapshot } from "./progress.js";
import { Recorder, type FailedRun } from "./record.js";
import { References } from "./references.js";
import { checkTimeout, loadSpecFile, parseSpec, type SweepSpec } from "./spec.js";
import { RunFailure } from "../core/contracts.js";
import { createWorkRoot, killProcessesUnder, reapOrphans, removeWorkRoot } from "./workdir.js";
import { SlurmBackend } from "./slurm/backend.js";
import { SlurmWorkdir } from "./slurm/workdir.js";

export type { FailedRun } from "./record.js";

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
  /** The slurm backend's shared work directory (default: the spec's `backend.slurm.workdir`, else beside the store). */
  slurmWorkdir?: string;
}

export interface SweepSummary {
  sweep: string;
  points: number;
  /** (point, tool) pairs. */
  runs: number;
  cached: number;
  done: number;
  /** (point, tool) pairs that failed. */
  failed: number;
  /** Every failed run, including reference and drift runs outside the sweep's points. */
  failures: FailedRun[];
  /** Reference and drift runs executed besides the points' own. */
  extraRuns: number;
  jobs: number;
  wallSeconds: number;
  /** Sum of the builds' and runs' own wall times (what a perfect engine would spend, divided by jobs). */
  workSeconds: number;
}

/** After an abort, how long in-flight runs get to end before the engine kills what is left and returns. */
const ABORT_GRACE_MS = 1500;

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
  const timeoutMs = checkTimeout("timeout", options.timeout ?? spec.options.timeout) * 1000;
  const points = expandPoints(spec, cat);
  const tools = await prepareTools(spec, cat);
  try {
    return await runPrepared(spec, tools, { ...options, signal, jobs, timeoutMs, points, started });
  } finally {
    // Also on a failure or an interrupt: no connection or temp folder is left on a board.
    await closeTools(tools.map((t) => t.tool));
  }
}

async function runPrepared(
  spec: SweepSpec,
  tools: PreparedTool[],
  options: RunSweepOptions & { signal: AbortSignal; jobs: number; timeoutMs: number; points: ReturnType<typeof expandPoints>; started: number },
): Promise<SweepSummary> {
  const { signal, jobs, timeoutMs, points, started } = options;
  if (signal.aborted) throw interrupted(spec.name, 0, 0);

  const db = typeof options.db === "string" ? openStore(options.db) : options.db;
  const workRoot = createWorkRoot();
  const state = { closed: false };
  try {
    releaseRunsOfDeadOwners(db, isOwnerAlive);
    reapOrphans();
    const plan = planSweep(db, spec, points, tools);
    const sweepId = saveSweep(db, spec.name, spec, plan.points);
    refreshWideView(db);
    const progress = new Progress(spec.name, plan.totalPairs, plan.cachedPairs, { display: options.display, onProgress: options.onProgress });
    progress.report(true);

    // A board's runs are recorded as run there, not here.
    const toolHosts = new Map(tools.flatMap((t) => (t.runsOn ? [[t, hostId(db, t.runsOn)] as const] : [])));
    const who = { sweepId, hostId: hostId(db), toolHosts, owner: ownerId() };
    const result = await executePlan(plan, { db, spec, jobs, timeoutMs, signal, workRoot, progress, state, who, slurmWorkdir: options.slurmWorkdir });
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
      failures: result.failures,
      extraRuns: result.extraRuns,
      jobs,
      wallSeconds: (performance.now() - started) / 1000,
      workSeconds: result.workSeconds,
    };
  } finally {
    killProcessesUnder(workRoot);
    state.closed = true;
    removeWorkRoot(workRoot);
    if (typeof options.db === "string") db.close();
  }
}

interface ExecuteContext {
  db: Store;
  spec: SweepSpec;
  jobs: number;
  timeoutMs: number;
  /** The caller's interrupt. */
  signal: AbortSignal;
  workRoot: string;
  progress: Progress;
  /** `closed` once runSweep has returned: recordings still in flight then write nothing. */
  state: { closed: boolean };
  who: Claimer;
  slurmWorkdir?: string;
}

/**
 * Executes the plan's runs: builds first (queued before any run, so native timing never overlaps them), then
 * each run claimed, attempted, checked against its reference and recorded. An error that is not a run's own
 * failure (the store failing) stops the sweep and is thrown once every run has ended.
 */
async function executePlan(plan: SweepPlan, ctx: ExecuteContext): Promise<{ failures: FailedRun[]; extraRuns: number; workSeconds: number }> {
  const { db, progress } = ctx;
  const stop = new AbortController();
  const onAbort = () => stop.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let fatal: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    fatal ??= { error };
    stop.abort(error);
  };

  let workSeconds = 0;
  const onWork = (seconds: number) => (workSeconds += seconds);
  const pool = new Pool(ctx.jobs, stop.signal);
  const builds = new Builds(pool, ctx.workRoot, stop.signal, onWork);
  const references = new References(plan.referenceKeys, plan.knownChecksums);
  const recorder = new Recorder(db, references, progress, () => ctx.state.closed, fail);
  const exclusiveCpu = os.availableParallelism() - 1;
  let runCount = 0;
  const workDir = () => {
    const dir = join(ctx.workRoot, `run-${runCount++}`);
    mkdirSync(dir);
    return dir;
  };

  /** One turn of a run in a pool slot. */
  const execute = async (run: PlannedRun): Promise<"recorded" | "adopted" | "held" | "cancelled"> => {
    const program = await builds.get(run.variant);
    if (stop.signal.aborted) return "cancelled";
    const claimed = claim(db, run, ctx.who);
    if (claimed === "held") return "held";
    if ("finished" in claimed) {
      // Another sweep finished it while this one waited: its result stands here too.
      references.adopt(run, claimed.finished.checksum);
      progress.skipped(run.pairs);
      return "adopted";
    }
    progress.runStarted();
    const inherited = program instanceof RunFailure ? undefined : references.failureNow(run);
    let outcome: Outcome | "cancelled";
    if (program instanceof RunFailure) outcome = failed(program, 1);
    else if (inherited) outcome = failed(inherited, 0);
    else {
      const cpu = run.tool.tool.exclusive ? exclusiveCpu : undefined;
      outcome = await attempt(run.tool.tool, program, { signal: stop.signal, timeoutMs: ctx.timeoutMs, retries: ctx.spec.options.retries, workDir, cpu, onWork });
    }
    if (outcome === "cancelled" || stop.signal.aborted) {
      releaseRun(db, claimed.runId);
      return "cancelled";
    }
    recorder.record(run, claimed.runId, outcome);
    return "recorded";
  };

  /** A run to its end: turns in the pool, with waits outside it while another live sweep holds its claim. */
  const runToEnd = async (run: PlannedRun): Promise<void> => {
    const exclusive = run.tool.tool.exclusive ?? false;
    try {
      for (;;) {
        const result = await pool.run(() => execute(run), { exclusive });
        if (result === "cancelled") references.settle(run, "cancelled");
        if (result !== "held") return;
        await waitWhileHeld(db, stop.signal);
        if (stop.signal.aborted) return references.settle(run, "cancelled");
      }
    } catch (e) {
      references.settle(run, "cancelled");
      if (!stop.signal.aborted) fail(e);
    }
  };

  const slurmOptions = ctx.spec.backend?.slurm;
  const onCluster = (run: PlannedRun) => slurmOptions !== undefined && !(run.tool.tool.exclusive ?? false);
  const localRuns = plan.runs.filter((r) => !onCluster(r));
  const clusterRuns = plan.runs.filter(onCluster);
  let slurm: SlurmBackend | undefined;
  if (slurmOptions && clusterRuns.length > 0) {
    const dir = new SlurmWorkdir(ctx.slurmWorkdir ?? slurmOptions.workdir ?? SlurmWorkdir.beside(db.name, ctx.spec.name).root);
    const onCounts = (queued: number, running: number) => progress.remoteCounts(queued, running);
    slurm = await SlurmBackend.open({ spec: ctx.spec, options: slurmOptions, dir, timeoutMs: ctx.timeoutMs, signal: stop.signal, onCounts }, fail);
  }

  /** A run on the cluster: claimed here, built and run by a job-array task, recorded here. */
  const runOnCluster = async (run: PlannedRun): Promise<void> => {
    try {
      for (;;) {
        if (stop.signal.aborted) return references.settle(run, "cancelled");
        const claimed = claim(db, run, ctx.who);
        if (claimed === "held") {
          await waitWhileHeld(db, stop.signal);
          continue;
        }
        if ("finished" in claimed) {
          references.adopt(run, claimed.finished.checksum);
          progress.skipped(run.pairs);
          return;
        }
        const inherited = references.failureNow(run);
        const outcome = inherited ? failed(inherited, 0) : await slurm!.outcome(run);
        if (outcome === "cancelled" || stop.signal.aborted) {
          releaseRun(db, claimed.runId);
          return references.settle(run, "cancelled");
        }
        progress.runStarted(); // the recorder counts it as ended
        recorder.record(run, claimed.runId, outcome);
        return;
      }
    } catch (e) {
      references.settle(run, "cancelled");
      if (!stop.signal.aborted) fail(e);
    }
  };

  for (const run of localRuns) void builds.get(run.variant);
  // Native timing keeps the machine to itself: cluster runs are submitted once the local runs have ended
  // (on a real cluster the nodes are other machines, but the driver's may be one of them).
  const localSettled = Promise.all(localRuns.map(runToEnd));
  const allSettled = localSettled
    .then(() => Promise.all(clusterRuns.map(runOnCluster)))
    .then(() => recorder.settled());
  if (stop.signal.aborted) await abortWait(allSettled);
  else {
    const aborted = new Promise<"aborted">((resolve) => stop.signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
    if ((await Promise.race([allSettled, aborted])) === "aborted") await abortWait(allSettled);
  }
  await slurm?.close(stop.signal.aborted || fatal !== undefined);
  // The confirmation phase re-measures each group's near-best variants once all its native runs are in.
  const confirm = confirmSettings(ctx.spec);
  let confirmRuns = 0;
  if (confirm && !fatal && !stop.signal.aborted) {
    confirmRuns = await confirmNativeRuns(db, plan, { confirm, build: (v) => builds.get(v), workDir, signal: stop.signal, timeoutMs: ctx.timeoutMs, cpu: exclusiveCpu });
  }
  ctx.signal.removeEventListener("abort", onAbort);
  if (fatal) throw fatal.error;
  return { failures: recorder.failures, extraRuns: recorder.extraRuns + confirmRuns, workSeconds };
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
