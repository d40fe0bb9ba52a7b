import { writeFile } from "node:fs/promises";
import { loadTable } from "../data/load-table.js";
import type { ArgumentSpec } from "../args/types.js";
import { evaluateTable } from "../predict/evaluation/evaluate.js";
import { metricsSummary } from "../predict/display.js";
import { loadModel, predictWithModel } from "../predict/saved-model.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab predict",
  summary: "Apply a saved model (simlab fit --save) to new data, write PRED.csv",
  description: [
    "Recomputes the model's features on the new table (per group, as in training), predicts, and writes row, group,",
    "predicted, and measured when the table has the model's target column (then the metrics are printed too).",
    "Example: simlab predict --model model.json --data new-sweep.csv -o pred.csv",
  ].join("\n"),
  options: [
    { name: "model", type: "string", required: true, help: "a model file written by simlab fit --save or %fit --save" },
    { name: "data", type: "string", required: true, help: "CSV, TSV, JSON, Parquet, Arrow, or a simlab sweep store" },
    { name: "out", short: "o", type: "string", required: true, help: "where to write the predictions (CSV)" },
  ],
};

export const command = declaredCommand(spec, async (args) => {
  const model = await loadModel(args.model as string);
  const predictions = await predictWithModel(model, await loadTable(args.data as string));
  await writeFile(args.out as string, predictions.toCSV() + "\n");
  console.log(`${model.estimator.model} (trained on ${model.provenance.rows} rows, ${model.provenance.groups.length} groups) → ${predictions.numRows()} predictions in ${args.out as string}`);
  if (predictions.column("measured") !== undefined) console.log(metricsSummary(evaluateTable(predictions)));
  return 0;
});
