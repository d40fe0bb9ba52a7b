import type { OptionSpec, ParsedArgs } from "../args/types.js";
import { cvSchemes, type CvScheme } from "./evaluation/cv.js";
import type { FitOptions } from "./fit-table.js";
import { defaultModel } from "./models/model-table.js";
import { type ModelName, modelNames, parseModelParams } from "./registry.js";
import { targetTransforms, type TargetTransform } from "./target.js";

/**
 * The options of a fit, declared once for the `%fit` magic and the `simlab fit` command (which differ only in
 * where the data comes from), so both take the same options with the same types, help and errors.
 */
export const fitOptions: readonly OptionSpec[] = [
  { name: "target", type: "string", help: "the runtime column to predict", required: true },
  { name: "features", type: "list", help: "simulator, simulator=TOOL.SCOPE, auto, or feature columns (default: simulator when the table has simulator columns and --group is given, else auto)" },
  { name: "group", type: "string", help: "column grouping the variants (e.g. workload)" },
  { name: "model", type: "string", help: `the estimator (default ${defaultModel.model} with ${Object.entries(defaultModel.params).map(([k, v]) => `${k}=${v}`).join(",")})`, choices: modelNames },
  { name: "cv", type: "string", help: "cross-validation (default: group with --group, else kfold)", choices: cvSchemes },
  { name: "cv-by", type: "string", help: "make the folds from this column instead of --group (e.g. --cv logo --cv-by workload: leave one generator out)" },
  { name: "folds", type: "integer", help: "number of folds (default 5, or the number of groups if fewer)" },
  { name: "seed", type: "integer", help: "seed for folds and the model", default: 0 },
  { name: "target-transform", type: "string", help: "what the model learns (default: log-relative with the simulator recipe, else runtime)", choices: targetTransforms },
  { name: "params", type: "string", help: "model parameters, e.g. max_depth=8,n_estimators=50" },
  { name: "keep", type: "list", help: "columns copied into the predictions (default: text columns)" },
  { name: "save", type: "string", help: "write the model fitted on all rows to this file (for simlab predict / %predict)" },
];

/** The explanation both interfaces show under their options. */
export const fitDescription = [
  "--features simulator derives per-group features from the <tool>.<scope>.<event> columns of every tool (its kernel",
  "scope when it has one; simulator=cachegrind.total picks sources); the target is then log(runtime / group's fastest), capped. --features auto takes every",
  "complete, numeric, non-constant column except the target, the group, ids and timing columns (runtime/time/…, *_s,",
  "native.*); columns that some rows lack are left out and named.",
  "For kernels unlike the training data: --params loss=pairwise,init=costmodel,monotonic_work=true,guard_floor=0.5",
  "(runtime non-decreasing in Ir, Bc and the fixed cost; every prediction shrunk halfway toward the fixed cost).",
].join("\n");

/** `fitTable` options from arguments parsed against `fitOptions` (types and choices already checked). */
export function fitOptionsFromArgs(args: ParsedArgs): FitOptions {
  const model = (args.model ?? defaultModel.model) as ModelName;
  const features = args.features as string[] | undefined;
  return {
    target: args.target as string,
    ...(features ? { features: features.length === 1 && features[0] === "auto" ? "auto" : features } : {}),
    group: args.group as string | undefined,
    model,
    params: { ...(args.model === undefined ? defaultModel.params : {}), ...parseModelParams(model, args.params as string | undefined) },
    cv: args.cv as CvScheme | undefined,
    ...(args.cvBy !== undefined ? { cvBy: args.cvBy as string } : {}),
    folds: args.folds as number | undefined,
    seed: args.seed as number,
    ...(args.targetTransform ? { targetTransform: args.targetTransform as TargetTransform } : {}),
    keep: args.keep as string[] | undefined,
  };
}
