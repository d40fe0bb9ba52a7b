import { canonicalKnobs } from "../store/sweeps.js";
import { failed, type Outcome } from "./outcome.js";
import type { PlannedRun } from "./plan.js";
import { RunFailure, type FailureReason, type Knobs } from "../core/contracts.js";

/** How a reference run ended, as its dependents see it. */
export type Settlement = { ok: true; checksum: string | undefined } | { ok: false; reason: FailureReason; message: string; knobs: Knobs };

/**
 * The checksums every run is checked against. A reference is settled once (the first settlement wins): from
 * the store when it finished before, or when its run is recorded, adopted from another sweep, or cancelled.
 * A reference that failed fails its dependents with its own reason; one that was cancelled (an interrupt)
 * leaves them unrecorded, for a resume.
 */
export class References {
  private readonly settled = new Map<string, Settlement>();
  private readonly waiting = new Map<string, (s: Settlement) => void>();
  private readonly pending = new Map<string, Promise<Settlement>>();

  constructor(
    private readonly keys: ReadonlySet<string>,
    known: ReadonlyMap<string, string | undefined>,
  ) {
    for (const [key, checksum] of known) this.settled.set(key, { ok: true, checksum });
  }

  settle(run: PlannedRun, outcome: Outcome | "cancelled"): void {
    this.put(
      run,
      outcome === "cancelled"
        ? { ok: false, reason: "cancelled", message: "cancelled", knobs: run.variant.knobs }
        : outcome.ok
          ? { ok: true, checksum: outcome.output.checksum }
          : { ok: false, reason: outcome.failure.reason, message: outcome.failure.message, knobs: run.variant.knobs },
    );
  }

  /** Settles a run another sweep finished meanwhile: its stored checksum stands. */
  adopt(run: PlannedRun, checksum: string | undefined): void {
    this.put(run, { ok: true, checksum });
  }

  private put(run: PlannedRun, s: Settlement): void {
    if (run.drift || !this.keys.has(run.key) || this.settled.has(run.key)) return;
    this.settled.set(run.key, s);
    this.waiting.get(run.key)?.(s);
    this.waiting.delete(run.key);
    this.pending.delete(run.key);
  }

  /** The failure a run inherits from its reference if that has already failed (so it need not run at all). */
  failureNow(run: PlannedRun): RunFailure | undefined {
    const s = run.referenceKey === undefined || run.crossIsa ? undefined : this.settled.get(run.referenceKey);
    return s && !s.ok && s.reason !== "cancelled" ? inherited(s) : undefined;
  }

  /** The run's outcome checked against its reference's checksum, once the reference is settled. */
  async verify(run: PlannedRun, outcome: Outcome): Promise<Outcome | "cancelled"> {
    if (run.referenceKey === undefined || !outcome.ok) return outcome; // a run's own failure says more
    const reference = await this.result(run.referenceKey);
    // Across ISAs only checksums are compared: another ISA's failure (say its compiler is missing) is not this run's.
    if (!reference.ok && run.crossIsa) return outcome;
    if (!reference.ok) return reference.reason === "cancelled" ? "cancelled" : failed(inherited(reference), outcome.attempts, outcome.output.wallSeconds);
    const mine = outcome.output.checksum;
    if (mine !== undefined && reference.checksum !== undefined && mine !== reference.checksum) {
      const whose = run.crossIsa ? `the ${run.crossIsa} reference variant's` : "the reference variant's";
      return failed(new RunFailure("checksum", `checksum ${mine} differs from ${whose} ${reference.checksum}`), outcome.attempts, outcome.output.wallSeconds);
    }
    return outcome;
  }

  private result(key: string): Promise<Settlement> {
    const s = this.settled.get(key);
    if (s) return Promise.resolve(s);
    let p = this.pending.get(key);
    if (!p) {
      p = new Promise((resolve) => this.waiting.set(key, resolve));
      this.pending.set(key, p);
    }
    return p;
  }
}

function inherited(reference: Extract<Settlement, { ok: false }>): RunFailure {
  const first = reference.message.split("\n")[0];
  return new RunFailure(reference.reason, `the reference variant ${canonicalKnobs(reference.knobs)} failed (${reference.reason}): ${first}`);
}
