import { loadTable } from "../data/load-table.js";
import { tableFormats } from "../data/formats.js";
import { defineMagic, type MagicSpec } from "./types.js";

/** %load: a thin layer over `loadTable`; the returned table is bound with `-> name` or displayed (its head). */
export const magics: readonly MagicSpec[] = [
  defineMagic({
    name: "load",
    kind: "line",
    summary: "Load CSV, TSV, JSON, Parquet, Arrow or a sweep store (.db) into an arquero table",
    description: [
      "Examples:",
      "  %load results.csv -> df",
      "  %load sweeps.db --sweep gemm256 -> df",
      "  %load data.txt --format tsv",
      "The format comes from the extension (.csv .tsv .json .jsonl .parquet .arrow .feather .db), else from the",
      "file's first bytes. Without `-> name` the table's head is shown.",
    ].join("\n"),
    positionals: [{ name: "file", type: "string", help: "the file to load (relative to the current folder)", required: true }],
    options: [
      { name: "sweep", type: "string", help: "for a sweep store: only this sweep's points" },
      { name: "view", type: "string", help: "for a SQLite file: read this table or view instead of the sweep store's wide view" },
      { name: "format", type: "string", help: "the file's format, when the extension does not tell", choices: tableFormats },
    ],
    binds: 'import("arquero").ColumnTable',
  }, (args) => loadTable(args.file, { sweep: args.sweep, view: args.view, format: args.format })),
];
