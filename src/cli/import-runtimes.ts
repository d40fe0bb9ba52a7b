import type { ArgumentSpec } from "../args/types.js";
import { importRuntimes, importSummaryLine } from "../sweep/import-runtimes.js";
import { importRuntimesDescription, importRuntimesOptions, importRuntimesPositionals } from "../sweep/import-runtimes-arguments.js";
import { declaredCommand } from "./command.js";

const spec = {
  name: "simlab import-runtimes",
  summary: "Join runtimes measured elsewhere (a board without ssh) onto a sweep's points as native runs",
  description: [
    ...importRuntimesDescription,
    "Examples:",
    "  simlab import-runtimes --db sweeps.db --sweep gemm-24 --target rpi4 rpi4.csv",
    "  simlab import-runtimes --db sweeps.db --sweep gemm-24 --dry-run rpi4.csv",
  ].join("\n"),
  positionals: importRuntimesPositionals,
  options: importRuntimesOptions,
} as const satisfies ArgumentSpec;

export const command = declaredCommand(spec, async (args) => {
  const summary = importRuntimes(args.db, { sweep: args.sweep, csv: args.csv, target: args.target, dryRun: args.dryRun === true });
  process.stderr.write(`${importSummaryLine(summary)}\n`);
  return 0;
});
