import { loadTable } from "../data/load-table.js";
import type { ArgumentSpec } from "../args/types.js";
import { table } from "arquero";
import { SimlabError } from "../core/errors.js";
import { baselines } from "../predict/evaluation/baselines.js";
import { numericColumn } from "../data/columns.js";
import { rankingComparison } from "../predict/display.js";
import { assignFolds } from "../predict/evaluation/cv.js";
import { evaluateTable, metricsJSON } from "../predict/evaluation/evaluate.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab eval",
  summary: "Print the metrics of a predictions file as JSON, overall and per group",
  description: [
    "Reads a predictions file (columns measured, predicted, and group) and prints",
    '{"overall": {…}, "groups": [{group, n, mae, mape, rmse, r2, spearman, kendall, pairwiseAccuracy,',
    "bestRankPercent, top1, top5}, …]}. Undefined values (e.g. R² of a constant group) are null.",
    "With --data (the table the predictions were made from, e.g. simlab fit's --data), the baselines Ir, the fixed",
    "cost Ir + 10·(D1mr + D1mw) and the fitted cost model (on the same folds; leaving one group out when the file has",
    "no fold column) are scored too: their metrics are",
    'added as "baselines" and a per-group comparison goes to stderr.',
  ].join("\n"),
  positionals: [{ name: "predictions", type: "string", required: true, help: "the predictions file, e.g. PRED.csv from simlab fit" }],
  options: [
    { name: "by", type: "string", help: "column grouping the rows for per-group metrics (default: group, when the file has it)" },
    { name: "data", type: "string", help: "the data the predictions came from (rows matched by the row column), for the baselines" },
  ],
};

export const command = declaredCommand(spec, async (args) => {
  const predictions = await loadTable(args.predictions as string);
  const metrics = evaluateTable(predictions, args.by as string | undefined);
  if (!args.data) {
    console.log(metricsJSON(metrics));
    return 0;
  }
  const data = await loadTable(args.data as string);
  const rows = numericColumn(predictions, "row");
  if (rows.some((r) => !(r >= 0 && r < data.numRows()))) throw new SimlabError(`${args.predictions as string} has rows that ${args.data as string} does not`, "pass the --data the predictions were made from");
  const picked = table(Object.fromEntries(data.columnNames().map((c) => {
    const values = data.array(c) as ArrayLike<unknown>;
    return [c, Array.from(rows, (r) => values[r])];
  })));
  const groups = Array.from(predictions.array((args.by as string | undefined) ?? "group") as ArrayLike<unknown>, (v) => String(v ?? ""));
  // Without folds (predictions of a saved model), the fitted cost model is scored leaving one group out:
  // one fold for everything would leave it nothing to train on.
  let fold: Int32Array;
  if (predictions.column("fold") !== undefined) fold = Int32Array.from(numericColumn(predictions, "fold"));
  else if (new Set(groups).size > 1) fold = assignFolds(groups.length, "logo", { groups });
  else fold = new Int32Array(groups.length); // a single group has no other group to train on
  const found = baselines(picked, numericColumn(predictions, "measured"), groups, fold);
  console.error(rankingComparison("predictions", metrics, found));
  console.log(metricsJSON({ ...metrics, baselines: found } as typeof metrics));
  return 0;
});
