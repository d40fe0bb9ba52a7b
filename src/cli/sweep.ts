import { parseArgs } from "node:util";
import { SimlabError } from "../errors.js";
import { runSweep } from "../sweep/runner.js";
import { specFromArgs } from "../sweep/spec.js";
import { stderrProgress } from "../sweep/progress.js";
import type { CliCommand } from "./command.js";

const HELP = `usage: simlab sweep SPEC.json --db FILE [--jobs N] [--timeout S] [--retries N] [--reps N] [--name NAME]
       simlab sweep --workload KIND --space "KNOB=V1,V2 ..." [--tools native,cachegrind] [--sample N --seed S] --db FILE

Runs every point of the sweep under every tool and stores the results in FILE (SQLite). Points already in
the store are not run again, so the same command resumes an interrupted sweep.
Progress goes to stderr. Exit status: 0 when every run succeeded (or was cached), 1 when some runs failed
(they are recorded with their reason; the summary lists them) or the spec is wrong, 130 when interrupted.`;

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new SimlabError(`--${name} expects a non-negative integer, got '${text}'`, `simlab sweep --help`);
  return Number(text);
}

export const command: CliCommand = {
  summary: "run a sweep (spec file or inline space) into a SQLite store; resumes where it stopped",
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          db: { type: "string" },
          jobs: { type: "string", short: "j" },
          timeout: { type: "string" },
          retries: { type: "string" },
          reps: { type: "string" },
          name: { type: "string" },
          workload: { type: "string" },
          space: { type: "string" },
          tools: { type: "string" },
          sample: { type: "string" },
          seed: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (e) {
      throw new SimlabError((e as Error).message, "simlab sweep --help");
    }
    const { values, positionals } = parsed;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 1) throw new SimlabError(`one spec file expected, got ${positionals.length}: ${positionals.join(" ")}`, "simlab sweep --help");
    if (values.db === undefined) throw new SimlabError("--db FILE is required", "e.g. simlab sweep spec.json --db results.db");
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw new SimlabError(`--timeout expects seconds > 0, got '${values.timeout}'`, "e.g. --timeout 60");
    const spec = specFromArgs({
      spec: positionals[0],
      name: values.name,
      workload: values.workload,
      space: values.space,
      tools: values.tools?.split(",").map((t) => t.trim()).filter(Boolean),
      sample: integer("sample", values.sample),
      seed: integer("seed", values.seed),
      retries: integer("retries", values.retries),
      reps: integer("reps", values.reps),
      timeout,
    });

    const controller = new AbortController();
    const onSignal = () => {
      if (controller.signal.aborted) process.exit(130); // a second ^C: leave now
      process.stderr.write("\ninterrupting: stopping in-flight runs (^C again to quit at once)\n");
      controller.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const summary = await runSweep(spec, { db: values.db, jobs: integer("jobs", values.jobs), signal: controller.signal, onProgress: stderrProgress() });
      const line = `${summary.sweep}: ${summary.points} points × tools = ${summary.runs} runs: ${summary.done} done, ${summary.failed} failed, ${summary.cached} cached in ${summary.wallSeconds.toFixed(1)} s`;
      process.stderr.write(line + "\n");
      for (const f of summary.failures.slice(0, 20)) {
        process.stderr.write(`  failed: ${f.workload} ${JSON.stringify(f.knobs)} ${f.tool}: ${f.reason}: ${f.message.split("\n")[0]}\n`);
      }
      if (summary.failures.length > 20) process.stderr.write(`  … and ${summary.failures.length - 20} more (see the failures column of \`simlab results\`)\n`);
      return summary.failed > 0 ? 1 : 0;
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
  },
};
