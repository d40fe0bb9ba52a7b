import type { OptionSpec, PositionalSpec } from "../args/types.js";

/**
 * The arguments of an import of runtimes, declared once for the `%import-runtimes` magic and the
 * `simlab import-runtimes` command, so both take the same options with the same types, help and errors.
 */
export const importRuntimesPositionals = [
  { name: "csv", type: "string", required: true, help: "the runtimes (CSV with a header line)" },
] as const satisfies readonly PositionalSpec[];

export const importRuntimesOptions = [
  { name: "db", type: "string", required: true, help: "the sweep store (SQLite)" },
  { name: "sweep", type: "string", required: true, help: "the sweep whose points the runtimes belong to" },
  { name: "target", type: "string", help: "a label for where they were measured (columns runtime_min_s@LABEL)" },
  { name: "dry-run", type: "boolean", default: false, help: "check every row and report what would be joined; write nothing" },
] as const satisfies readonly OptionSpec[];

/** What both say about the CSV, before their own examples. */
export const importRuntimesDescription = [
  "FILE.csv names each point by a `point` column (the wide table's point id) or by knob columns, and gives",
  "runtime_min_s (and optionally other runtime_* columns, in seconds). The runtimes become native runs of the",
  "target: columns runtime_min_s@LABEL of the wide table with --target LABEL, plain runtime_min_s without it.",
  "Every row is checked before anything is written (one transaction); a bad row is one error naming its line.",
];
