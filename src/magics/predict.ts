import type { ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { fitDescription, fitOptions, fitOptionsFromArgs } from "../predict/arguments.js";
import { displayableFit, displayableMetrics, fitSummary, metricsSummary } from "../predict/display.js";
import { evaluateTable } from "../predict/evaluate.js";
import { fitTable } from "../predict/fit-table.js";
import type { MagicContext, MagicSpec } from "./types.js";

/** %fit and %eval: thin layers over `fitTable` and `evaluateTable` (src/predict). */
export const magics: readonly MagicSpec[] = [
  {
    name: "fit",
    kind: "line",
    summary: "Cross-validate a runtime predictor on a table; bind predictions and the fitted model",
    description: [
      "Examples:",
      "  %fit df --target runtime_min_s --group workload --model forest --cv logo -> fit",
      "  %fit df --target runtime_min_s --features cachegrind.Ir,cachegrind.D1mr --model ridge --params alpha=0.1",
      "TABLE is a notebook variable holding an arquero table. The result has .predictions (row, group, measured,",
      "predicted, fold, …), .model (fitted on all rows), .metrics, .features and .featureImportance.",
      fitDescription,
    ].join("\n"),
    positionals: [{ name: "table", type: "string", help: "name of the variable holding the data table", required: true }],
    options: fitOptions,
    binds: 'import("simlab").FitResult',
    async run(args, ctx) {
      const data = await tableVariable(args.table as string, ctx);
      const result = await fitTable(data, { ...fitOptionsFromArgs(args), signal: ctx.signal });
      ctx.stdout(`${fitSummary(result)}\n`);
      return displayableFit(result);
    },
  },
  {
    name: "eval",
    kind: "line",
    summary: "Metrics of predictions (MAE, MAPE, RMSE, R², Spearman, Kendall, best-variant rank, top-k), overall and per group",
    description: [
      "Examples:",
      "  %eval fit -> metrics          (a FitResult)",
      "  %eval fit.predictions --by group",
      "PRED is a notebook expression giving a FitResult or a predictions table (columns measured, predicted, group).",
    ].join("\n"),
    positionals: [{ name: "pred", type: "string", help: "FitResult or predictions table (a notebook expression)", required: true }],
    options: [{ name: "by", type: "string", help: "column grouping the rows for per-group metrics (default: group, when the table has it)" }],
    binds: 'import("simlab").Metrics',
    async run(args, ctx) {
      const value = await ctx.runCode(args.pred as string);
      const predictions = isTable(value) ? value : isTable((value as { predictions?: unknown } | null)?.predictions) ? (value as { predictions: ColumnTable }).predictions : undefined;
      if (!predictions) throw new SimlabError(`${args.pred as string} is neither a FitResult nor an arquero table`, "pass the result of %fit, or its .predictions table");
      const metrics = displayableMetrics(evaluateTable(predictions, args.by as string | undefined));
      ctx.stdout(`${metricsSummary(metrics)}\n`);
      return metrics;
    },
  },
];

async function tableVariable(name: string, ctx: MagicContext): Promise<ColumnTable> {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name)) throw new SimlabError(`'${name}' is not a variable name`, "write the name of the variable holding the table, e.g. %fit df --target …");
  let value: unknown;
  try {
    value = await ctx.runCode(name);
  } catch {
    throw new SimlabError(`no variable '${name}' in the notebook`, "load a table first, e.g. %load results.csv -> df");
  }
  if (!isTable(value)) throw new SimlabError(`'${name}' is not an arquero table`, "load one with %load FILE -> df, or build one with aq.table(...)");
  return value;
}

function isTable(v: unknown): v is ColumnTable {
  return typeof v === "object" && v !== null && typeof (v as ColumnTable).columnNames === "function" && typeof (v as ColumnTable).array === "function";
}
