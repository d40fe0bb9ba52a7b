import { RunFailure, type FailureReason, type Knobs, type RunOutput } from "../../core/contracts.js";
import type { Outcome } from "../outcome.js";

/** One run as a task sees it: enough to rebuild the variant and pick the tool, and the keys to check against. */
export interface TaskRun {
  /** The run's cache key, computed by the driver; the task recomputes it and refuses a different one. */
  key: string;
  variantKey: string;
  kind: string;
  workloadOptions: Record<string, unknown>;
  knobs: Knobs;
  tool: string;
}

/** What the driver tells every task of a submission (chunks/<submission>/submission.json). */
export interface Submission {
  /** The sweep's spec as parsed (tasks take workloads and tool options from it). */
  spec: unknown;
  timeoutMs: number;
  retries: number;
  /** Runs per task running at once (the task's CPUs). */
  parallel: number;
  /** The runs of each task, by array index. */
  tasks: TaskRun[][];
}

/** A task's result file for one run. */
export interface TaskResult {
  key: string;
  host: string;
  outcome: StoredOutcome;
}

type StoredOutcome =
  | { ok: true; output: RunOutput; attempts: number }
  | { ok: false; failure: { reason: FailureReason; message: string; details: RunFailure["details"] }; attempts: number; wallSeconds?: number };

export function encodeOutcome(o: Outcome): StoredOutcome {
  if (o.ok) return o;
  return { ok: false, failure: { reason: o.failure.reason, message: o.failure.message, details: o.failure.details }, attempts: o.attempts, wallSeconds: o.wallSeconds };
}

export function decodeOutcome(o: StoredOutcome): Outcome {
  if (o.ok) return o;
  return { ok: false, failure: new RunFailure(o.failure.reason, o.failure.message, o.failure.details ?? {}), attempts: o.attempts, wallSeconds: o.wallSeconds };
}
