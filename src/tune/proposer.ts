import type { KnobValue, Knobs, Stats } from "../core/contracts.js";

/** What a proposer learns of one tried variant. */
export interface Feedback {
  knobs: Knobs;
  /** "ok", or why it never counts: build, checksum (wrong result), crash, timeout, invalid (bad knobs), … */
  status: string;
  message?: string;
  checksum?: string;
  /** Simulator statistics (`cachegrind.kernel.Ir`, …). */
  stats?: Stats;
  /** The measured native runtime (minimum over repetitions). */
  runtime_s?: number;
  round: number;
}

export interface ProposerInput {
  round: number;
  /** The best variants so far (ok only, fastest first): the beam. */
  best: Feedback[];
  /** Everything tried so far, in order. */
  history: Feedback[];
  /** The optimisation menu: knob → values a proposer may set. */
  menu: Readonly<Record<string, readonly KnobValue[]>>;
  /** The shape, which every proposal keeps. */
  shape: Knobs;
}

/** Proposes new variants from feedback; an empty list ends the loop. */
export interface Proposer {
  name: string;
  propose(input: ProposerInput): Promise<Knobs[]>;
}
