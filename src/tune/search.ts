import { Random } from "../core/random.js";
import type { Knobs, KnobValue } from "../core/contracts.js";

/** One evaluated candidate: its index in the space, score (lower is better; Infinity when it failed). */
export interface Evaluated {
  index: number;
  score: number;
  /** When its batch started, in seconds since the search began. */
  at_s: number;
}

/**
 * What a strategy sees: the candidates, a budgeted `evaluate`, and a seeded generator. Evaluations are counted
 * per distinct candidate; a batch is cut to what the budget has left, and none starts after the time limit.
 */
export class SearchContext {
  readonly random: Random;
  /** Every evaluation in the order it was made (the strategy's choices). */
  readonly history: Evaluated[] = [];
  private readonly scores = new Map<number, number>();
  private readonly start = performance.now();
  private readonly deadline: number;

  constructor(
    readonly candidates: readonly Knobs[],
    readonly space: Readonly<Record<string, readonly KnobValue[]>>,
    private readonly score: (indices: number[]) => Promise<number[]>,
    readonly budget: { maxEvals: number; timeLimitS: number; seed: number },
    private readonly signal?: AbortSignal,
  ) {
    this.random = new Random(budget.seed);
    this.deadline = this.start + budget.timeLimitS * 1000;
  }

  /** Evaluations the budget still allows (0 once the time limit has passed or the space is exhausted). */
  remaining(): number {
    if (performance.now() >= this.deadline || this.signal?.aborted) return 0;
    return Math.min(this.budget.maxEvals, this.candidates.length) - this.scores.size;
  }

  seen(index: number): boolean {
    return this.scores.has(index);
  }

  scoreOf(index: number): number | undefined {
    return this.scores.get(index);
  }

  /** Scores candidates, evaluating only those not seen yet and only as many as the budget allows. */
  async evaluate(indices: readonly number[]): Promise<Map<number, number>> {
    const fresh = [...new Set(indices)].filter((i) => !this.scores.has(i)).slice(0, Math.max(0, this.remaining()));
    if (fresh.length > 0) {
      const at_s = (performance.now() - this.start) / 1000;
      const scores = await this.score(fresh);
      fresh.forEach((index, j) => {
        const score = Number.isFinite(scores[j]) ? scores[j]! : Infinity;
        this.scores.set(index, score);
        this.history.push({ index, score, at_s });
      });
    }
    return new Map(indices.filter((i) => this.scores.has(i)).map((i) => [i, this.scores.get(i)!]));
  }

  /** Unseen candidates, in grid order. */
  unseen(): number[] {
    return this.candidates.map((_, i) => i).filter((i) => !this.scores.has(i));
  }

  /** The index of the candidate with these knobs, if it is one. */
  find(knobs: Knobs): number | undefined {
    const i = this.candidates.findIndex((c) => Object.keys(c).every((k) => c[k] === knobs[k]));
    return i < 0 ? undefined : i;
  }

  /** Seconds since the search began. */
  elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** The best evaluated so far. */
  best(): Evaluated | undefined {
    let best: Evaluated | undefined;
    for (const e of this.history) if (!best || e.score < best.score) best = e;
    return best;
  }
}

/** A search strategy: spends the context's budget choosing which candidates to evaluate. */
export interface Strategy {
  name: string;
  search(ctx: SearchContext): Promise<void>;
}

/** How many candidates a strategy evaluates at once when order does not depend on results. */
export const BATCH = 8;
