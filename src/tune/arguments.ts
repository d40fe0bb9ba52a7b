import { SimlabError } from "../core/errors.js";
import type { OptionSpec, ParsedArgs } from "../args/types.js";
import { strategyNames } from "./strategies/index.js";
import type { TuneOptions, TuneResult } from "./tune.js";

/** The arguments of a tuning, declared once for `%tune` and `simlab tune`. */
export const tuneOptions: readonly OptionSpec[] = [
  { name: "workload", short: "w", type: "string", required: true, help: "the workload kind (gemm, mvm, conv2d, cfile, command)" },
  { name: "space", short: "s", type: "string", required: true, help: 'the candidates of one shape, e.g. "M=64 N=64 K=64 order=ijk,ikj tn=0,16"' },
  { name: "budget", short: "k", type: "integer", default: 5, help: "native measurements: the k best-predicted candidates are measured" },
  { name: "db", type: "string", default: "simlab.db", help: "the SQLite store (simulations, measurements and the tuning cache)" },
  { name: "tools", short: "t", type: "list", help: "simulators (default: the model's, else cachegrind)" },
  { name: "model", type: "string", help: "a saved model (simlab fit --save) to rank with (default: the fixed cost Ir + 10·(D1mr + D1mw))" },
  { name: "train", type: "string", help: "train the ranking model on the fly from this store or table file" },
  { name: "strategy", type: "string", default: "grid", choices: strategyNames, help: "which candidates to simulate" },
  { name: "max-evals", type: "integer", help: "at most this many candidates simulated (default: all)" },
  { name: "time-limit", type: "number", help: "no new simulation starts after this many seconds" },
  { name: "seed", type: "integer", default: 0, help: "the strategy's seed" },
  { name: "replay", type: "boolean", default: false, help: "run nothing: look every result up in the store (points it lacks are reported)" },
  { name: "fresh", type: "boolean", default: false, help: "tune again even when the tuning cache knows this shape" },
  { name: "reps", type: "integer", help: "timed repetitions of each native run" },
  { name: "jobs", short: "j", type: "integer", help: "concurrent simulations (default: number of cores)" },
  { name: "timeout", type: "number", help: "per-run timeout in seconds" },
  { name: "no-confirm", type: "boolean", default: false, help: "do not re-measure near-ties among the top k" },
  { name: "cc", type: "string", help: "the C compiler (part of the tuning cache's key)" },
  { name: "file", type: "string", help: "cfile: the C file whose -D knobs are tuned" },
];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** TuneOptions from parsed `%tune` / `simlab tune` arguments. */
export function tuneFromArgs(args: ParsedArgs): TuneOptions {
  const workloadOptions: Record<string, unknown> = {};
  if (str(args.cc) !== undefined) workloadOptions.cc = args.cc;
  if (str(args.file) !== undefined) workloadOptions.file = args.file;
  if (args.workload === undefined || args.space === undefined) throw new SimlabError("--workload and --space are required", 'e.g. --workload gemm --space "M=64 N=64 K=64 order=ijk,ikj"');
  return {
    workload: String(args.workload),
    space: String(args.space),
    workloadOptions,
    db: str(args.db) ?? "simlab.db",
    budget: num(args.budget) ?? 5,
    ...(Array.isArray(args.tools) ? { simulators: args.tools } : {}),
    ...(str(args.model) !== undefined ? { model: str(args.model)! } : {}),
    ...(str(args.train) !== undefined ? { train: str(args.train)! } : {}),
    strategy: str(args.strategy) ?? "grid",
    ...(num(args.maxEvals) !== undefined ? { maxEvals: num(args.maxEvals)! } : {}),
    ...(num(args.timeLimit) !== undefined ? { timeLimit: num(args.timeLimit)! } : {}),
    seed: num(args.seed) ?? 0,
    replay: args.replay === true,
    fresh: args.fresh === true,
    ...(num(args.reps) !== undefined ? { reps: num(args.reps)! } : {}),
    ...(num(args.jobs) !== undefined ? { jobs: num(args.jobs)! } : {}),
    ...(num(args.timeout) !== undefined ? { timeout: num(args.timeout)! } : {}),
    confirm: args.noConfirm !== true,
  };
}

/** The JSON `simlab tune --json` prints: the winner, how many were measured, the speed-up, whether it was cached. */
export function tuneSummaryJSON(r: TuneResult): Record<string, unknown> {
  return {
    best: { knobs: r.best.knobs, runtime_s: r.best.runtime_s },
    measured: r.measured,
    reference_runtime_s: r.reference_runtime_s,
    speedup: r.speedup,
    cached: r.cached,
    workload: r.workload,
    shape: r.shape,
    strategy: r.strategy,
    simulated: r.simulated.length,
    ...(r.missing.length > 0 ? { missing: r.missing } : {}),
  };
}

/** One line: the winner and its speed-up. */
export function tuneSummaryText(r: TuneResult): string {
  const knobs = Object.entries(r.best.knobs).filter(([k]) => !(k in r.shape)).map(([k, v]) => `${k}=${v}`).join(" ");
  const speedup = r.speedup === null ? "" : `, ${r.speedup.toFixed(2)}× the reference schedule`;
  const how = r.cached ? "from the tuning cache" : `${r.simulated.length} simulated (${r.strategy}), ${r.measured} measured`;
  return `${r.group}: best ${knobs} ${(r.best.runtime_s * 1e3).toFixed(4)} ms${speedup} — ${how}`;
}
