import type { ColumnTable } from "arquero";
import { runSweep } from "../sweep/runner.js";
import { sweepFromArgs, sweepOptions, sweepPositionals } from "../sweep/arguments.js";
import { unavailableTools } from "../sweep/unavailable.js";
import { wideTable } from "../data/from-store.js";
import type { MagicSpec } from "./types.js";

const sweep: MagicSpec = {
  name: "sweep",
  kind: "line",
  summary: "Run a sweep (spec file or inline space) into a SQLite store and return its wide table",
  description: [
    "Examples:",
    "  %sweep datasets/specs/gemm-24.json --db sweeps.db -> t",
    '  %sweep --workload gemm --space "M=64 order=ijk,ikj tn=0,16" --tools native,cachegrind --db sweeps.db -> t',
    '  %sweep --workload gemm --space "M=64 order=ijk,ikj" --target ssh:root@board.local:2222 --db board.db -> t',
    '  %sweep --workload mvm --space "M=256 N=256" --tools qemu --isa x86_64,aarch64,riscv64 --db sweeps.db -> t',
    "  %sweep datasets/specs/gemm-24.json --db sweeps.db --backend slurm -> t   (simulator runs as Slurm job arrays)",
    "Points already in the store are not run again: re-running the same line resumes an interrupted sweep.",
    "The table has one row per point: knobs, runtime_min_s/runtime_median_s/runtime_cv, <tool>.<stat>, status.",
  ].join("\n"),
  positionals: sweepPositionals,
  options: sweepOptions,
  binds: 'import("arquero").ColumnTable',
  async run(args, ctx): Promise<ColumnTable> {
    const { spec, db, jobs } = sweepFromArgs(args);
    const summary = await runSweep(spec, { db, jobs, signal: ctx.signal, display: ctx.display });
    if (summary.failures.length > 0) {
      const unavailable = unavailableTools(summary.failures);
      const reasons = [...new Set(summary.failures.map((f) => `${f.tool}: ${f.reason}${unavailable.has(f.tool) ? ` (${unavailable.get(f.tool)})` : ""}`))].join(", ");
      const extra = summary.failures.length - summary.failures.filter((f) => f.role === "point").length;
      ctx.stderr(`${summary.failed} of ${summary.runs} runs failed${extra > 0 ? ` (and ${extra} reference or drift runs)` : ""} (${reasons}); see the status and failures columns\n`);
    }
    return wideTable(db, spec.name);
  },
};

export const magics: readonly MagicSpec[] = [sweep];
