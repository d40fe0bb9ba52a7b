import { completeRun, failRun, releaseRun, type Store } from "../store/index.js";
import type { Outcome } from "./outcome.js";
import type { PlannedRun } from "./plan.js";
import type { Progress } from "./progress.js";
import type { References } from "./references.js";
import type { FailureReason, Knobs } from "../core/contracts.js";

export interface FailedRun {
  workload: string;
  knobs: Knobs;
  tool: string;
  reason: FailureReason;
  message: string;
  /** "point" for a run of the sweep's own points; a reference outside the sweep or a drift re-measurement otherwise. */
  role: "point" | "reference" | "drift";
}

/**
 * Writes outcomes to the store and counts them. Checking a run against its reference waits outside the pool,
 * so no slot idles on it; `settled()` resolves when every recording has ended.
 */
export class Recorder {
  readonly failures: FailedRun[] = [];
  extraRuns = 0;
  private readonly queue: Promise<void>[] = [];

  constructor(
    private readonly db: Store,
    private readonly references: References,
    private readonly progress: Progress,
    private readonly isClosed: () => boolean,
    private readonly onError: (e: unknown) => void,
  ) {}

  record(run: PlannedRun, runId: number, outcome: Outcome): void {
    this.queue.push(this.write(run, runId, outcome).catch(this.onError));
  }

  settled(): Promise<unknown> {
    return Promise.all(this.queue);
  }

  private async write(run: PlannedRun, runId: number, outcome: Outcome): Promise<void> {
    const final = await this.references.verify(run, outcome);
    if (this.isClosed()) return;
    if (final === "cancelled") {
      releaseRun(this.db, runId); // its reference was interrupted: left for a resume
      return;
    }
    if (final.ok) completeRun(this.db, runId, { stats: final.output.stats, checksum: final.output.checksum, wallSeconds: final.output.wallSeconds, attempts: final.attempts });
    else {
      const f = final.failure;
      failRun(this.db, runId, { reason: f.reason, message: f.message, exitCode: f.details.exitCode, stderrTail: f.details.stderrTail, command: f.details.command, wallSeconds: final.wallSeconds, attempts: final.attempts });
    }
    this.references.settle(run, final);
    if (!final.ok) {
      const role = run.drift ? "drift" : run.pairs === 0 ? "reference" : "point";
      this.failures.push({ workload: run.variant.kind, knobs: run.variant.knobs, tool: run.tool.identity.name, reason: final.failure.reason, message: final.failure.message, role });
    }
    if (run.pairs === 0) this.extraRuns++;
    else this.progress.settled(final.ok, run.pairs);
  }
}
