import { writeFile } from "node:fs/promises";
import { loadTable } from "../data/load-table.js";
import type { ArgumentSpec } from "../args/types.js";
import { fitDescription, fitOptions, fitOptionsFromArgs } from "../predict/arguments.js";
import { rankingComparison } from "../predict/display.js";
import { fitTable } from "../predict/fit-table.js";
import { saveModel } from "../predict/saved-model.js";
import { declaredCommand } from "./command.js";
import { checkOutputPath } from "./output-path.js";

const spec: ArgumentSpec = {
  name: "simlab fit",
  summary: "Cross-validate a runtime predictor on a data file, write PRED.csv (and the model with --save)",
  description: [
    "Writes the out-of-fold predictions (row, group, measured, predicted, fold, + kept columns) to PRED.csv and",
    "prints a summary, and per group the rank of the fastest variant beside the baselines (Ir, the fixed cost",
    "Ir + 10·(D1mr + D1mw), the fitted cost model). Evaluate them with `simlab eval PRED.csv`; apply a model saved",
    "with --save to new data with `simlab predict`. The options are those of %fit.",
    fitDescription,
    "Example: simlab fit --data datasets/paper.csv --target runtime_min_s --group group --cv logo -o cv.csv --save model.json",
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
  if (args.save) checkOutputPath(args.save as string, "--save");
  const options = fitOptionsFromArgs(args);
  const result = await fitTable(await loadTable(args.data as string), options); // options (and model parameters) were checked above
  await writeFile(out, result.predictions.toCSV() + "\n");
  if (args.save) await saveModel(result, args.save as string, args.data as string);
  const m = result.metrics.overall;
  const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
  const features = result.recipe.kind === "simulator" ? `${result.features.length} simulator features (${result.recipe.sources.join("+")})` : `${result.features.length} features`;
  console.log(
    `${result.model.name}, ${result.cv} CV (${result.folds} folds), ${features}, ${m.n} rows → ${out}${args.save ? `, model → ${args.save as string}` : ""}\n` +
      `R² ${fmt(m.r2)}  MAPE ${fmt(m.mape, 1)} %  Spearman ${fmt(m.spearman)}  best-variant rank ${fmt(m.bestRankPercent, 1)} % (worst group ${fmt(m.worstBestRankPercent, 1)} %)`,
  );
  for (const note of result.notes) console.log(`note: ${note}`);
  if (result.baselines.length > 0) console.log(rankingComparison(result.model.name, result.metrics, result.baselines));
  return 0;
});
