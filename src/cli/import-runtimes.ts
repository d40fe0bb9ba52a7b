import type { ArgumentSpec } from "../args/types.js";
import { importRuntimes } from "../sweep/import-runtimes.js";
import { declaredCommand } from "./command.js";

const spec = {
  name: "simlab import-runtimes",
  summary: "Join runtimes measured elsewhere (a board without ssh) onto a sweep's points as native runs",
  description: [
    "FILE.csv names each point by a `point` column (the wide table's point id) or by knob columns, and gives",
    "runtime_min_s (and optionally other runtime_* columns, in seconds). The runtimes become native runs of the",
    "target: columns runtime_min_s@LABEL of the wide table with --target LABEL, plain runtime_min_s without it.",
    "Every row is checked before anything is written (one transaction); a bad row is one error naming its line.",
    "Examples:",
    "  simlab import-runtimes --db sweeps.db --sweep gemm-24 --target rpi4 rpi4.csv",
    "  simlab import-runtimes --db sweeps.db --sweep gemm-24 --dry-run rpi4.csv",
  ].join("\n"),
  positionals: [{ name: "csv", type: "string", required: true, help: "the runtimes (CSV with a header line)" }],
  options: [
    { name: "db", type: "string", required: true, help: "the sweep store (SQLite)" },
    { name: "sweep", type: "string", required: true, help: "the sweep whose points the runtimes belong to" },
    { name: "target", type: "string", help: "a label for where they were measured (columns runtime_min_s@LABEL)" },
    { name: "dry-run", type: "boolean", default: false, help: "check every row and report what would be joined; write nothing" },
  ],
} as const satisfies ArgumentSpec;

export const command = declaredCommand(spec, async (args) => {
  const summary = importRuntimes(args.db, { sweep: args.sweep, csv: args.csv, target: args.target, dryRun: args.dryRun === true });
  const what = `${summary.points} runtime${summary.points === 1 ? "" : "s"} (${summary.statistics.join(", ")}) onto points of sweep '${summary.sweep}' by ${summary.by} as ${summary.tool}`;
  const replaced = summary.replaced > 0 ? `, replacing ${summary.replaced} imported before` : "";
  process.stderr.write(`${summary.written ? "joined" : "would join (dry run)"} ${what}${replaced}\n`);
  return 0;
});
