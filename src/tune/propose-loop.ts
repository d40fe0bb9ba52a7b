import { SimlabError } from "../core/errors.js";
import type { DisplaySink } from "../display/types.js";
import { canonicalKnobs, openStore, type Store } from "../store/index.js";
import { catalog as defaultCatalog, type Catalog } from "../sweep/catalog.js";
import type { KnobValue, Knobs } from "../core/contracts.js";
import { storeEvaluator, tuneLabel } from "./evaluator.js";
import type { Feedback, Proposer } from "./proposer.js";
import { tuneSpace } from "./space.js";

export interface ProposeOptions {
  workload: string;
  /** The shape and the optimisation menu: knobs with several values are what the menu may change. */
  space: string | Record<string, KnobValue[]>;
  workloadOptions?: Record<string, unknown>;
  db: string | Store;
  proposer: Proposer;
  /** Proposal rounds after the starting schedule (default 3). */
  rounds?: number;
  /** How many of the best so far the proposer is shown as the beam (default 2). */
  beam?: number;
  /** At most this many variants tried, the start included (default: no limit). */
  maxEvals?: number;
  simulators?: string[];
  reps?: number;
  timeout?: number;
  jobs?: number;
  signal?: AbortSignal;
  display?: DisplaySink;
  catalog?: Catalog;
}

export interface ProposeResult {
  /** The starting schedule (the shape's plain schedule). */
  start: Feedback;
  /** The fastest correct variant tried. */
  best: Feedback;
  /** Every variant tried, failures with their reason. */
  history: Feedback[];
  rounds: number;
  /** start runtime / best runtime. */
  speedup: number;
}

/**
 * The proposer loop: from the plain schedule, each round shows the proposer the beam (best so far) and every
 * result with its feedback (checksum, simulator statistics, measured runtime), then simulates and measures what it
 * proposes — all through the store. A proposal with bad knobs, a failed build or a wrong checksum is recorded
 * with its reason and never wins; the loop goes on until the rounds end or the proposer has nothing new.
 */
export async function proposeLoop(options: ProposeOptions): Promise<ProposeResult> {
  const cat = options.catalog ?? defaultCatalog;
  const space = tuneSpace(options.workload, options.space, options.workloadOptions ?? {}, cat);
  const menu = Object.fromEntries(Object.entries(space.space).filter(([k, v]) => v.length > 1 && !(k in space.shape)));
  const workload = cat.workload(space.kind, space.workloadOptions);
  const simulators = options.simulators ?? ["cachegrind"];
  const rounds = options.rounds ?? 3;
  const beam = options.beam ?? 2;
  const maxEvals = options.maxEvals ?? Infinity;
  const db = typeof options.db === "string" ? openStore(options.db) : options.db;
  try {
    const label = tuneLabel(["propose", space.kind, space.space, space.workloadOptions, simulators, options.proposer.name, options.reps ?? null]);
    const evaluator = storeEvaluator({ db, space, simulators, label, reps: options.reps, timeout: options.timeout, jobs: options.jobs, confirm: false, signal: options.signal, display: options.display, catalog: cat });
    const history: Feedback[] = [];
    const tried = new Set<string>();

    const evaluate = async (proposals: readonly Knobs[], round: number): Promise<void> => {
      const valid: Knobs[] = [];
      for (const proposal of proposals) {
        if (history.length + valid.length >= maxEvals) break;
        const knobs = { ...space.reference, ...proposal };
        const id = canonicalKnobs(knobs);
        if (tried.has(id)) continue;
        tried.add(id);
        const shapeChange = Object.keys(space.shape).find((k) => knobs[k] !== space.shape[k]);
        try {
          if (shapeChange !== undefined) throw new SimlabError(`changes the shape knob ${shapeChange}`, "");
          workload.validate(knobs);
          valid.push(knobs);
        } catch (e) {
          if (!(e instanceof SimlabError)) throw e;
          history.push({ knobs, status: "invalid", message: e.message, round });
        }
      }
      const simulated = await evaluator.simulate(valid);
      const measurable = valid.filter((_, i) => simulated[i]!.ok);
      const measured = await evaluator.measure(measurable);
      valid.forEach((knobs, i) => {
        const sim = simulated[i]!;
        if (!sim.ok) return void history.push({ knobs, status: sim.reason, message: sim.message.split("\n")[0], round });
        const run = measured[measurable.indexOf(knobs)]!;
        if (!run.ok) return void history.push({ knobs, status: run.reason, message: run.message.split("\n")[0], stats: sim.stats, round });
        history.push({ knobs, status: "ok", stats: sim.stats, ...(run.checksum !== undefined ? { checksum: run.checksum } : {}), runtime_s: run.stats.runtime_min_s!, round });
      });
    };
    const ranked = () => history.filter((h) => h.status === "ok" && h.runtime_s !== undefined).sort((a, b) => a.runtime_s! - b.runtime_s!);

    await evaluate([space.reference], 0);
    const start = history[0];
    if (!start || start.status !== "ok") throw new SimlabError(`the starting schedule ${canonicalKnobs(space.reference)} failed: ${start?.status}: ${start?.message ?? ""}`, "the loop improves on a working plain schedule; fix the workload first");
    let round = 0;
    while (round < rounds && history.length < maxEvals && !options.signal?.aborted) {
      round++;
      const proposals = await options.proposer.propose({ round, best: ranked().slice(0, beam), history: [...history], menu, shape: space.shape });
      const before = history.length;
      await evaluate(proposals, round);
      if (history.length === before) break; // nothing new: the proposer has converged
    }
    const best = ranked()[0]!;
    return { start, best, history, rounds: round, speedup: start.runtime_s! / best.runtime_s! };
  } finally {
    if (typeof options.db === "string") db.close();
  }
}
