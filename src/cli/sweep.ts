import { SimlabError } from "../core/errors.js";
import type { ArgumentSpec } from "../args/types.js";
import { sweepFromArgs, sweepOptions, sweepPositionals } from "../sweep/arguments.js";
import { runSweep } from "../sweep/runner.js";
import { stderrProgress } from "../sweep/progress.js";
import { unavailableTools } from "../sweep/unavailable.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab sweep",
  summary: "Run a sweep (spec file or inline space) into a SQLite store; resumes where it stopped",
  description: [
    "Runs every point of the sweep under every tool and stores the results in the store (SQLite). Points already in",
    "the store are not run again, so the same command resumes an interrupted sweep. Progress goes to stderr.",
    "Exit status: 0 when every run succeeded (or was cached), 1 when any run failed, builds and reference runs included",
    "(they are recorded with their reason; the summary lists them) or the spec is wrong, 130 when interrupted.",
    "Examples:",
    "  simlab sweep datasets/specs/gemm-24.json --db sweeps.db --jobs 2",
    '  simlab sweep --workload gemm --space "M=64 order=ijk,ikj" --tools native,cachegrind --db sweeps.db',
    "  simlab sweep datasets/specs/gemm-24.json --target ssh:root@board.local:2222 --db board.db   # native runs on the board",
    "  simlab sweep datasets/specs/gemm-24.json --db sweeps.db --backend slurm   (simulator runs as Slurm job arrays;",
    "      options in the spec's backend.slurm; ^C cancels the arrays; a killed sweep, rerun, adopts them)",
  ].join("\n"),
  positionals: sweepPositionals,
  options: sweepOptions,
};

export const command = declaredCommand(spec, async (args) => {
  const { spec: sweep, db, jobs } = sweepFromArgs(args);

  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130); // a second ^C: leave now
    process.stderr.write("\ninterrupting: stopping in-flight runs (^C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const summary = await runSweep(sweep, { db, jobs, signal: controller.signal, onProgress: stderrProgress() });
      const line = `${summary.sweep}: ${summary.points} points × tools = ${summary.runs} runs: ${summary.done} done, ${summary.failed} failed, ${summary.cached} cached in ${summary.wallSeconds.toFixed(1)} s`;
      process.stderr.write(line + "\n");
      const unavailable = unavailableTools(summary.failures);
      for (const [tool, message] of unavailable) process.stderr.write(`  failed: every ${tool} run: unavailable: ${message}\n`);
      const listed = summary.failures.filter((f) => !unavailable.has(f.tool));
      for (const f of listed.slice(0, 20)) {
        process.stderr.write(`  failed: ${f.workload} ${JSON.stringify(f.knobs)} ${f.tool}: ${f.reason}: ${f.message.split("\n")[0]}\n`);
      }
      if (listed.length > 20) process.stderr.write(`  … and ${listed.length - 20} more (see the failures column of \`simlab results\`)\n`);
      return summary.failures.length > 0 ? 1 : 0;
    } catch (e) {
      if (controller.signal.aborted && e instanceof SimlabError) {
        process.stderr.write(`simlab sweep: ${e.format()}\n`);
        return 130;
      }
      throw e;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
});
