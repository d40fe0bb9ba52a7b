import type { ColumnTable } from "arquero";
import { SimlabError } from "../errors.js";
import { cvSchemes, type CvScheme } from "../predict/cv.js";
import { displayableFit, displayableMetrics, fitSummary, metricsSummary } from "../predict/display.js";
import { evaluateTable } from "../predict/evaluate.js";
import { fitTable } from "../predict/fit-table.js";
import { type ModelName, modelNames, parseModelParams } from "../predict/registry.js";
import { targetTransforms, type TargetTransform } from "../predict/target.js";
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
      "--features auto takes every numeric, non-constant column except the target, the group, ids and timing",
      "columns (runtime/time/…, *_s, *_ns, native.*).",
    ].join("\n"),
    positionals: [{ name: "table", type: "string", help: "name of the variable holding the data table", required: true }],
    options: [
      { name: "target", type: "string", help: "the runtime column to predict", required: true },
      { name: "features", type: "list", help: "feature columns, or auto", default: ["auto"] },
      { name: "group", type: "string", help: "column grouping the variants (e.g. workload)" },
      { name: "model", type: "string", help: "the estimator", default: "boosting", choices: modelNames },
      { name: "cv", type: "string", help: "cross-validation (default: group with --group, else kfold)", choices: cvSchemes },
      { name: "folds", type: "integer", help: "number of folds (default 5, or the number of groups if fewer)" },
      { name: "seed", type: "integer", help: "seed for folds and the model", default: 0 },
      { name: "target-transform", type: "string", help: "what the model learns", default: "runtime", choices: targetTransforms },
      { name: "params", type: "string", help: "model parameters, e.g. max_depth=8,n_estimators=50" },
      { name: "keep", type: "list", help: "columns copied into the predictions (default: text columns)" },
    ],
    binds: 'import("simlab").FitResult',
    async run(args, ctx) {
      const data = await tableVariable(args.table as string, ctx);
      const model = args.model as ModelName;
      const features = args.features as string[];
      const result = await fitTable(data, {
        target: args.target as string,
        features: features.length === 1 && features[0] === "auto" ? "auto" : features,
        group: args.group as string | undefined,
        model,
        params: parseModelParams(model, args.params as string | undefined),
        cv: args.cv as CvScheme | undefined,
        folds: args.folds as number | undefined,
        seed: args.seed as number,
        targetTransform: args.targetTransform as TargetTransform,
        keep: args.keep as string[] | undefined,
        signal: ctx.signal,
      });
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
    options: [{ name: "by", type: "string", help: "column grouping the rows for per-group metrics", default: "group" }],
    binds: 'import("simlab").Metrics',
    async run(args, ctx) {
      const value = await ctx.runCode(args.pred as string);
      const predictions = isTable(value) ? value : isTable((value as { predictions?: unknown } | null)?.predictions) ? (value as { predictions: ColumnTable }).predictions : undefined;
      if (!predictions) throw new SimlabError(`${args.pred as string} is neither a FitResult nor an arquero table`, "pass the result of %fit, or its .predictions table");
      const metrics = displayableMetrics(evaluateTable(predictions, args.by as string));
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
