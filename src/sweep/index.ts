export { runSweep, type RunSweepOptions, type SweepSummary, type FailedRun } from "./runner.js";
export { parseSpec, loadSpecFile, parseSpaceText, specFromArgs, type SweepArgs, type SweepSpec, type WorkloadSpec, type SweepOptions } from "./spec.js";
export { progressText, stderrProgress, type ProgressSnapshot } from "./progress.js";
export type { Catalog } from "./catalog.js";
export type { SlurmOptions } from "./slurm/options.js";
export { runSlurmTask } from "./slurm/task.js";
export * from "../core/contracts.js";
export { importRuntimes, importSummaryLine, type ImportRuntimesOptions, type ImportRuntimesSummary } from "./import-runtimes.js";
