import type { ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { fitDescription, fitOptions, fitOptionsFromArgs } from "../predict/arguments.js";
import { displayableFit, displayableMetrics, fitSummary, metricsSummary, rankingComparison } from "../predict/display.js";
import { evaluateTable } from "../predict/evaluation/evaluate.js";
import { type FitResult, fitTable } from "../predict/fit-table.js";
import { type SavedModel, asSavedModel, loadModel, predictWithModel, saveModel, savedModel } from "../predict/saved-model.js";
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
      const options = fitOptionsFromArgs(args); // parameters are checked before anything runs
      const data = await tableVariable(args.table as string, ctx);
      const result = await fitTable(data, { ...options, signal: ctx.signal });
      if (args.save) await saveModel(result, args.save as string, args.table as string);
      ctx.stdout(`${fitSummary(result)}${args.save ? ` → ${args.save as string}` : ""}\n`);
      for (const note of result.notes) ctx.stdout(`note: ${note}\n`);
      if (result.baselines.length > 0) ctx.stdout(`${rankingComparison(result.model.name, result.metrics, result.baselines)}\n`);
      return displayableFit(result);
    },
  },
  {
    name: "predict",
    kind: "line",
    summary: "Apply a fitted or saved model to a new table; bind the predictions (row, group, predicted, measured)",
    description: [
      "Examples:",
      "  %predict fit newRuns -> p            (fit: the result of %fit)",
      "  %predict \"model.json\" newRuns -> p  (a file written by %fit --save or simlab fit --save)",
      "The model's features are recomputed on the new table per group, as in training; a column the model needs",
      "and the table lacks is named in the error. With the target column present, measured is included.",
    ].join("\n"),
    positionals: [
      { name: "model", type: "string", help: "a FitResult, a saved model object, or a model file path (a notebook expression)", required: true },
      { name: "table", type: "string", help: "name of the variable holding the new table", required: true },
    ],
    binds: 'import("arquero").ColumnTable',
    async run(args, ctx) {
      const model = await modelValue(args.model as string, ctx);
      const predictions = await predictWithModel(model, await tableVariable(args.table as string, ctx));
      ctx.stdout(`${model.estimator.model}: ${predictions.numRows()} predictions\n`);
      if (predictions.column("measured") !== undefined) ctx.stdout(`${metricsSummary(evaluateTable(predictions))}\n`);
      return predictions;
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
      const fit = value as Partial<FitResult> | null;
      if (predictions !== value && fit?.baselines && fit.baselines.length > 0) ctx.stdout(`${rankingComparison(fit.model?.name ?? "model", metrics, fit.baselines)}\n`);
      return metrics;
    },
  },
];

/** A FitResult, a SavedModel object, or a path to a model file, from a notebook expression. */
async function modelValue(expression: string, ctx: MagicContext): Promise<SavedModel> {
  let value: unknown;
  try {
    value = await ctx.runCode(expression);
  } catch {
    value = expression.endsWith(".json") ? expression : undefined;
    if (value === undefined) throw new SimlabError(`cannot evaluate '${expression}'`, "pass the result of %fit, or a model file path in quotes");
  }
  if (typeof value === "string") return loadModel(value);
  const fit = value as Partial<FitResult> | null;
  if (fit && typeof fit === "object" && fit.model && fit.recipe && fit.training) return savedModel(fit as FitResult);
  return asSavedModel(value, expression);
}

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
