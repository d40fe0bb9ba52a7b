import { toMimeBundle } from "../display/types.js";
import { importRuntimes, importSummaryLine, type ImportRuntimesSummary } from "../sweep/import-runtimes.js";
import { importRuntimesDescription, importRuntimesOptions, importRuntimesPositionals } from "../sweep/import-runtimes-arguments.js";
import { defineMagic, type MagicSpec } from "./types.js";

/** %import-runtimes: a thin layer over `importRuntimes` (as `simlab import-runtimes`); binds the summary, shows its line. */
const importRuntimesMagic = defineMagic({
  name: "import-runtimes",
  kind: "line",
  summary: "Join runtimes measured elsewhere (a board without ssh) onto a sweep's points as native runs",
  description: [
    ...importRuntimesDescription,
    "Examples:",
    "  %import-runtimes rpi4.csv --db sweeps.db --sweep gemm-24 --target rpi4 -> imported",
    "  %import-runtimes rpi4.csv --db sweeps.db --sweep gemm-24 --dry-run",
    "Then `%load sweeps.db --sweep gemm-24 -> t` has the runtime_min_s@rpi4 column.",
  ].join("\n"),
  positionals: importRuntimesPositionals,
  options: importRuntimesOptions,
  binds: 'import("simlab").ImportRuntimesSummary',
}, async (args) => {
  const summary = importRuntimes(args.db, { sweep: args.sweep, csv: args.csv, target: args.target, dryRun: args.dryRun === true });
  return shownAsItsLine(summary);
});

/** The summary as a plain object to bind, displayed as the one line the CLI prints. */
function shownAsItsLine(summary: ImportRuntimesSummary): ImportRuntimesSummary {
  const line = importSummaryLine(summary);
  return Object.defineProperty({ ...summary }, toMimeBundle, { value: () => ({ "text/plain": line }), enumerable: false });
}

export const magics: readonly MagicSpec[] = [importRuntimesMagic];
