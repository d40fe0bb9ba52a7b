import { SimlabError } from "../core/errors.js";
import type { DisplaySink } from "../display/types.js";
import type { SavedModel } from "../predict/saved-model.js";
import { canonicalKnobs, findTuning, hostId, openStore, saveTuning, type Store, type TuningKey } from "../store/index.js";
import type { Catalog } from "../sweep/catalog.js";
import type { ProgressSnapshot } from "../sweep/progress.js";
import type { KnobValue, Knobs } from "../core/contracts.js";
import type { CurvePoint } from "./curve.js";
import type { Evaluation, Evaluator } from "./evaluator.js";
import { toolchainOf } from "./identity.js";
import { fixedCostPredictor, type Predictor } from "./predictor.js";
import { SearchContext } from "./search.js";
import { tuneSpace, type TuneSpace } from "./space.js";
import { strategyFor } from "./strategies/index.js";

export interface TuneOptions {
  /** gemm, mvm, conv2d, cfile or command. */
  workload: string;
  /** Knob values, as text ("M=64 N=64 K=64 order=ijk,ikj") or an object; one shape. */
  space: string | Record<string, KnobValue[]>;
  /** The workload's options (cc, flags, file for cfile, templates for command). */
  workloadOptions?: Record<string, unknown>;
  /** The store (path or open store): simulations, measurements and the tuning cache land there. */
  db: string | Store;
  /** Native measurements: the k best-predicted candidates are measured. Default 5. */
  budget?: number;
  /** Simulators; default: the model's, else cachegrind. */
  simulators?: string[];
  /** A saved model (file or object) to rank with; default: the fixed cost Ir + 10·(D1mr + D1mw). */
  model?: string | SavedModel;
  /** Train the model on the fly from this store or table file instead. */
  train?: string;
  /** Which candidates to simulate: grid (all, default), random, genetic, anneal, model. */
  strategy?: string;
  /** At most this many simulated candidates (default: all). */
  maxEvals?: number;
  /** No new simulation starts after this many seconds (default: none). */
  timeLimit?: number;
  seed?: number;
  /** Run nothing: every result is looked up in the store; points it lacks are reported in `missing`. */
  replay?: boolean;
  /** Tune again even when the tuning cache knows this shape. */
  fresh?: boolean;
  /** Timed repetitions of each native run. */
  reps?: number;
  timeout?: number;
  jobs?: number;
  /** Re-measure near-ties among the top k (default true). */
  confirm?: boolean;
  signal?: AbortSignal;
  /** The notebook's display: the sweeps' progress bars. */
  display?: DisplaySink;
  onProgress?: (progress: ProgressSnapshot) => void;
  catalog?: Catalog;
}

export interface TuneCandidate {
  knobs: Knobs;
  /** Predicted runtime relative to the reference schedule (Infinity: its simulation failed). */
  predicted: number;
  status: "ok" | string;
  message?: string;
  /** Simulated candidates: when the strategy started its batch (seconds into the search). */
  at_s?: number;
}

export interface TuneMeasurement extends TuneCandidate {
  runtime_s: number | null;
}

export interface TuneResult {
  workload: string;
  group: string;
  shape: Knobs;
  best: { knobs: Knobs; runtime_s: number };
  /** Candidates measured natively (the budget, or fewer when fewer were simulated). */
  measured: number;
  reference: Knobs;
  reference_runtime_s: number | null;
  /** reference runtime / best runtime. */
  speedup: number | null;
  /** True when the winner came from the tuning cache (nothing ran). */
  cached: boolean;
  strategy: string;
  predictor: string;
  seed: number;
  replay: boolean;
  /** Simulated candidates in the order the strategy chose them. */
  simulated: TuneCandidate[];
  /** The measured candidates in predicted order. */
  measurements: TuneMeasurement[];
  curve: CurvePoint[];
  /** Why the curve has no random line, when it has none. */
  curveNote?: string;
  /** Replay: points the store lacks (simulated or native). */
  missing: Knobs[];
  /** Seconds the strategy's search took (the simulations). */
  searchSeconds: number;
  seconds: number;
}

/**
 * Tunes one shape: the strategy picks candidates to simulate (through runSweep into the store: cached and
 * resumable), the predictor scores them, the k best-predicted are measured natively (with the sweep's
 * confirmation of near-ties) beside the reference schedule, and the fastest measured wins. The winner is kept in
 * the per-shape tuning cache; tuning a known shape again returns it at once without running anything.
 */
export async function tune(options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const budget = options.budget ?? 5;
  if (!Number.isInteger(budget) || budget < 1) throw new SimlabError(`--budget must be a positive integer, got ${budget}`, "e.g. --budget 5 (native measurements)");
  if (options.model !== undefined && options.train !== undefined) throw new SimlabError("give --model or --train, not both", "--model ranks with a saved model; --train fits one from a store");
  const space = tuneSpace(options.workload, options.space, options.workloadOptions ?? {}, options.catalog);
  const strategy = strategyFor(options.strategy ?? "grid");
  const seed = options.seed ?? 0;
  const maxEvals = options.maxEvals ?? space.candidates.length;
  if (!Number.isInteger(maxEvals) || maxEvals < 1) throw new SimlabError(`--max-evals must be a positive integer, got ${maxEvals}`, "the most candidates to simulate");
  const timeLimit = options.timeLimit ?? Infinity;
  if (!(timeLimit > 0)) throw new SimlabError(`--time-limit must be a positive number of seconds, got ${timeLimit}`, "e.g. --time-limit 60");

  const db = typeof options.db === "string" ? openStore(options.db) : options.db;
  try {
    const key: TuningKey = { workload: space.kind, shape: space.shape, ...toolchainOf(space.workloadOptions), hostId: hostId(db) };
    if (!options.replay && !options.fresh) {
      const hit = findTuning(db, key);
      if (hit) return { ...(hit.result as TuneResult), cached: true, seconds: (performance.now() - started) / 1000 };
    }
    // Loaded only now: a cache hit needs neither the sweep engine nor the predictors.
    const { NOT_IN_STORE, storeEvaluator, tuneLabel } = await import("./evaluator.js");
    const { tuneCurve } = await import("./curve.js");
    const predictor = await choosePredictor(options);
    const simulators = options.simulators ?? predictor.tools;
    const label = tuneLabel([space.kind, space.space, space.workloadOptions, simulators, strategy.name, seed, maxEvals, options.reps ?? null]);
    const evaluator = storeEvaluator({ db, space, simulators, label, reps: options.reps, timeout: options.timeout, jobs: options.jobs, confirm: options.confirm, replay: options.replay, signal: options.signal, display: options.display, onProgress: options.onProgress, catalog: options.catalog });
    const missing: Knobs[] = [];
    const noteMissing = (knobs: Knobs, e: Evaluation) => {
      if (!e.ok && e.reason === NOT_IN_STORE && !missing.some((m) => canonicalKnobs(m) === canonicalKnobs(knobs))) missing.push(knobs);
    };

    // Simulate what the strategy picks; each is scored against the reference schedule.
    let referenceStats: Evaluation | undefined;
    const evaluations = new Map<number, Evaluation>();
    const score = async (indices: number[]): Promise<number[]> => {
      const knobs = indices.map((i) => space.candidates[i]!);
      const [ref, ...results] = await evaluator.simulate([space.reference, ...knobs]);
      referenceStats ??= ref;
      if (!ref!.ok) {
        noteMissing(space.reference, ref!);
        throw new SimlabError(`the reference schedule ${canonicalKnobs(space.reference)} has no simulation: ${ref!.ok ? "" : `${ref!.reason}: ${ref!.message.split("\n")[0]}`}`, options.replay ? "replay needs a store where this tuning ran" : "every candidate is checked against it; fix the workload first");
      }
      results.forEach((r, j) => {
        evaluations.set(indices[j]!, r);
        noteMissing(knobs[j]!, r);
      });
      const okAt = results.flatMap((r, j) => (r.ok ? [j] : []));
      const scores = await predictor.score(okAt.map((j) => (results[j] as Extract<Evaluation, { ok: true }>).stats), ref!.stats);
      const out = results.map(() => Infinity);
      okAt.forEach((j, n) => (out[j] = scores[n]!));
      return out;
    };
    const ctx = new SearchContext(space.candidates, space.space, score, { maxEvals, timeLimitS: timeLimit, seed }, options.signal);
    await strategy.search(ctx);
    if (options.signal?.aborted) throw new SimlabError("tuning interrupted", "run it again to resume: finished runs are kept in the store");

    const searchSeconds = ctx.elapsed();
    const simulated: TuneCandidate[] = ctx.history.map((h) => ({ ...candidateOf(space, h.index, h.score, evaluations.get(h.index)), at_s: h.at_s }));
    const ranked = [...ctx.history].filter((h) => Number.isFinite(h.score)).sort((a, b) => a.score - b.score || a.index - b.index);
    if (ranked.length === 0) throw new SimlabError(`no candidate of ${space.group} simulated successfully`, simulated[0]?.message ? `first failure: ${simulated[0].message.split("\n")[0]}` : "check the workload and simulators");
    const top = ranked.slice(0, budget);

    // Measure the top k (and the reference) natively.
    const [refRun, ...runs] = await evaluator.measure([space.reference, ...top.map((t) => space.candidates[t.index]!)]);
    noteMissing(space.reference, refRun!);
    const measurements: TuneMeasurement[] = top.map((t, j) => {
      const run = runs[j]!;
      noteMissing(space.candidates[t.index]!, run);
      const runtime = run.ok ? run.stats.runtime_min_s : undefined;
      return { ...candidateOf(space, t.index, t.score, run), runtime_s: runtime ?? null };
    });
    const winners = measurements.filter((m) => m.status === "ok" && m.runtime_s !== null);
    if (winners.length === 0) throw new SimlabError(`none of the ${top.length} best-predicted candidates of ${space.group} was measured`, measurements[0]?.message ? `first failure: ${measurements[0].message.split("\n")[0]}` : "check the native tool");
    const best = winners.reduce((a, b) => (b.runtime_s! < a.runtime_s! ? b : a));
    const referenceRuntime = refRun!.ok ? (refRun!.stats.runtime_min_s ?? null) : null;

    // The random line needs every candidate's runtime: only a store with an exhaustive native sweep has them.
    const all = await knownRuntimes(evaluator, space);
    const result: TuneResult = {
      workload: space.kind,
      group: space.group,
      shape: space.shape,
      best: { knobs: best.knobs, runtime_s: best.runtime_s! },
      measured: measurements.length,
      reference: space.reference,
      reference_runtime_s: referenceRuntime,
      speedup: referenceRuntime !== null ? referenceRuntime / best.runtime_s! : null,
      cached: false,
      strategy: strategy.name,
      predictor: predictor.name,
      seed,
      replay: options.replay ?? false,
      simulated,
      measurements,
      curve: tuneCurve(measurements.map((m) => m.runtime_s ?? Infinity), all),
      ...(all ? {} : { curveNote: "random sampling's curve needs every candidate's native runtime (an exhaustive native sweep in this store); showing the model's curve only" }),
      missing,
      searchSeconds,
      seconds: (performance.now() - started) / 1000,
    };
    if (!options.replay) saveTuning(db, key, { bestKnobs: best.knobs, runtimeSeconds: best.runtime_s!, ...(referenceRuntime !== null ? { referenceRuntimeSeconds: referenceRuntime } : {}), result });
    return result;
  } finally {
    if (typeof options.db === "string") db.close();
  }
}

async function choosePredictor(options: TuneOptions): Promise<Predictor> {
  if (options.model !== undefined) return (await import("./model-predictor.js")).loadPredictor(options.model);
  if (options.train !== undefined) return (await import("./model-predictor.js")).trainedPredictor(options.train, options.signal);
  return fixedCostPredictor(options.simulators?.[0] ?? "cachegrind");
}

function candidateOf(space: TuneSpace, index: number, predicted: number, e: Evaluation | undefined): TuneCandidate {
  const knobs = space.candidates[index]!;
  if (!e || e.ok) return { knobs, predicted, status: "ok" };
  return { knobs, predicted, status: e.reason, message: e.message.split("\n")[0]! };
}

/** Native runtimes of every candidate from the store (no runs), or undefined when any is missing. */
async function knownRuntimes(evaluator: Evaluator, space: TuneSpace): Promise<number[] | undefined> {
  const lookups = await evaluator.known(space.candidates);
  const runtimes = lookups.map((e) => (e.ok ? e.stats.runtime_min_s : undefined));
  return runtimes.every((r): r is number => r !== undefined && r > 0) ? runtimes : undefined;
}
