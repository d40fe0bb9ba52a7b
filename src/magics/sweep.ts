import type { ColumnTable } from "arquero";
import { runSweep } from "../sweep/runner.js";
import { specFromArgs } from "../sweep/spec.js";
import { wideTable } from "../sweep/wide-table.js";
import type { MagicSpec } from "./types.js";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

const sweep: MagicSpec = {
  name: "sweep",
  kind: "line",
  summary: "Run a sweep (spec file or inline space) into a SQLite store and return its wide table",
  description: [
    "Examples:",
    "  %sweep datasets/specs/gemm-24.json --db sweeps.db -> t",
    '  %sweep --workload gemm --space "M=64 order=ijk,ikj tn=0,16" --tools native,cachegrind --db sweeps.db -> t',
    "Points already in the store are not run again: re-running the same line resumes an interrupted sweep.",
    "The table has one row per point: knobs, runtime_min_s/runtime_median_s/runtime_cv, <tool>.<stat>, status.",
  ].join("\n"),
  positionals: [{ name: "spec", type: "string", help: "a sweep spec (JSON file)" }],
  options: [
    { name: "db", type: "string", help: "the SQLite store to write", default: "simlab.db" },
    { name: "workload", short: "w", type: "string", help: "inline sweep: the workload kind (gemm, mvm, conv2d, cfile, command)" },
    { name: "space", short: "s", type: "string", help: 'inline sweep: knob values, e.g. "M=64,128 order=ijk,ikj"' },
    { name: "tools", short: "t", type: "list", help: "inline sweep: tools (default native,cachegrind)" },
    { name: "sample", type: "integer", help: "inline sweep: a seeded random sample of this many points instead of the grid" },
    { name: "seed", type: "integer", help: "inline sweep: the sample's seed (default 0)" },
    { name: "name", type: "string", help: "the sweep's name in the store (default: the spec's, or derived from the inline space)" },
    { name: "jobs", short: "j", type: "integer", help: "concurrent runs (default: number of cores)" },
    { name: "timeout", type: "number", help: "per-run timeout in seconds" },
    { name: "retries", type: "integer", help: "extra attempts for runs that crash or time out" },
    { name: "reps", type: "integer", help: "timed repetitions of each native run" },
  ],
  binds: 'import("arquero").ColumnTable',
  async run(args, ctx): Promise<ColumnTable> {
    const spec = specFromArgs({
      spec: str(args.spec),
      name: str(args.name),
      workload: str(args.workload),
      space: str(args.space),
      tools: Array.isArray(args.tools) ? args.tools : undefined,
      sample: num(args.sample),
      seed: num(args.seed),
      retries: num(args.retries),
      reps: num(args.reps),
      timeout: num(args.timeout),
    });
    const db = str(args.db) ?? "simlab.db";
    const summary = await runSweep(spec, { db, jobs: num(args.jobs), signal: ctx.signal, display: ctx.display });
    if (summary.failed > 0) {
      const reasons = [...new Set(summary.failures.map((f) => `${f.tool}: ${f.reason}`))].join(", ");
      ctx.stderr(`${summary.failed} of ${summary.runs} runs failed (${reasons}); see the status and failures columns\n`);
    }
    return wideTable(db, spec.name);
  },
};

export const magics: readonly MagicSpec[] = [sweep];
