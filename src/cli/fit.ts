import { writeFile } from "node:fs/promises";
import { loadTable } from "../data/load-table.js";
import type { ArgumentSpec } from "../args/types.js";
import { fitDescription, fitOptions, fitOptionsFromArgs } from "../predict/arguments.js";
import { fitTable } from "../predict/fit-table.js";
import { declaredCommand } from "./command.js";
import { checkOutputPath } from "./output-path.js";

const spec: ArgumentSpec = {
  name: "simlab fit",
  summary: "Cross-validate a runtime predictor on a data file, write PRED.csv",
  description: [
    "Writes the out-of-fold predictions (row, group, measured, predicted, fold, + kept columns) to PRED.csv and",
    "prints a two-line summary. Evaluate them with `simlab eval PRED.csv`. The options are those of %fit.",
    fitDescription,
    "Example: simlab fit --data sweep.csv --target runtime_min_s --group group --model forest --cv logo --out pred.csv",
  ].join("\n"),
  options: [
    { name: "data", type: "string", required: true, help: "CSV, TSV, JSON, Parquet, Arrow, or a simlab sweep store" },
    { name: "out", short: "o", type: "string", required: true, help: "where to write the predictions (CSV)" },
    ...fitOptions,
  ],
};

export const command = declaredCommand(spec, async (args) => {
  const out = args.out as string;
  checkOutputPath(out, "--out");
  const result = await fitTable(await loadTable(args.data as string), fitOptionsFromArgs(args));
  await writeFile(out, result.predictions.toCSV() + "\n");
  const m = result.metrics.overall;
  const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
  console.log(
    `${result.model.name}, ${result.cv} CV (${result.folds} folds), ${result.features.length} features, ${m.n} rows → ${out}\n` +
      `R² ${fmt(m.r2)}  MAPE ${fmt(m.mape, 1)} %  Spearman ${fmt(m.spearman)}  best-variant rank ${fmt(m.bestRankPercent, 1)} % (worst group ${fmt(m.worstBestRankPercent, 1)} %)`,
  );
  return 0;
});
