import { loadTable } from "../data/load-table.js";
import type { ArgumentSpec } from "../args/types.js";
import { evaluateTable, metricsJSON } from "../predict/evaluate.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab eval",
  summary: "Print the metrics of a predictions file as JSON, overall and per group",
  description: [
    "Reads a predictions file (columns measured, predicted, and group) and prints",
    '{"overall": {…}, "groups": [{group, n, mae, mape, rmse, r2, spearman, kendall, pairwiseAccuracy,',
    "bestRankPercent, top1, top5}, …]}. Undefined values (e.g. R² of a constant group) are null.",
  ].join("\n"),
  positionals: [{ name: "predictions", type: "string", required: true, help: "the predictions file, e.g. PRED.csv from simlab fit" }],
  options: [{ name: "by", type: "string", help: "column grouping the rows for per-group metrics (default: group, when the file has it)" }],
};

export const command = declaredCommand(spec, async (args) => {
  console.log(metricsJSON(evaluateTable(await loadTable(args.predictions as string), args.by as string | undefined)));
  return 0;
});
