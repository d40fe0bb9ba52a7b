import { readFile, writeFile } from "node:fs/promises";
import { cpus, hostname, platform, arch } from "node:os";
import { type ColumnTable, table as makeTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { featureColumns, groupColumn } from "./design.js";
import type { EstimatorJSON } from "./estimator.js";
import type { FitResult } from "./fit-table.js";
import { type FeatureRecipe, applyRecipe } from "./recipe.js";
import { estimatorFromJSON } from "./registry.js";
import { type TargetTransform, bindTarget } from "./target.js";

/**
 * A fitted model as a file: everything `predict` needs to rank new variants (the estimator, how to make its
 * features from a table, how its output maps back to runtime) and where it came from.
 */
export interface SavedModel {
  format: "simlab-model";
  version: 1;
  estimator: EstimatorJSON;
  recipe: FeatureRecipe;
  /** The feature columns in the estimator's order (made by the recipe). */
  features: string[];
  /** The measured column the model predicts. */
  target: string;
  targetTransform: TargetTransform;
  group?: string;
  provenance: {
    rows: number;
    groups: string[];
    /** Simulator sources (`tool.scope`) the features came from. */
    tools: string[];
    source?: string;
    host: { hostname: string; platform: string; arch: string; cpu: string };
    node: string;
    created: string;
  };
}

/** The saveable form of a fit (the model fitted on all rows). */
export function savedModel(fit: FitResult, source?: string): SavedModel {
  return {
    format: "simlab-model",
    version: 1,
    estimator: fit.model.toJSON(),
    recipe: fit.recipe,
    features: fit.features,
    target: fit.target,
    targetTransform: fit.targetTransform,
    ...(fit.group !== undefined ? { group: fit.group } : {}),
    provenance: {
      rows: fit.training.rows,
      groups: fit.training.groups,
      tools: fit.recipe.kind === "simulator" ? fit.recipe.sources : [],
      ...(source !== undefined ? { source } : {}),
      host: { hostname: hostname(), platform: platform(), arch: arch(), cpu: cpus()[0]?.model ?? "unknown" },
      node: process.version,
      created: new Date().toISOString(),
    },
  };
}

export async function saveModel(fit: FitResult, path: string, source?: string): Promise<void> {
  await writeFile(path, JSON.stringify(savedModel(fit, source)) + "\n");
}

/** Reads a model file; anything that is not one is a SimlabError. */
export async function loadModel(path: string): Promise<SavedModel> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new SimlabError(`cannot read the model file ${path}: ${(e as Error).message.split("\n")[0]}`, "pass a file written by `simlab fit --save` or `%fit --save`");
  }
  return asSavedModel(json, path);
}

export function asSavedModel(json: unknown, what = "the value"): SavedModel {
  const m = json as Partial<SavedModel> | null;
  if (!m || m.format !== "simlab-model" || m.version !== 1 || !m.estimator || !m.recipe || !Array.isArray(m.features)) {
    throw new SimlabError(`${what} is not a simlab model`, "save one with `simlab fit … --save MODEL.json` or `%fit … --save MODEL.json`");
  }
  return m as SavedModel;
}

/**
 * Predicts a new table with a saved model: recomputes the recipe's features (per group), predicts, and returns
 * row, group, predicted — plus measured when the table has the target column (then predictions are in the
 * target's units; without it, a group-relative target gives runtime relative to the fastest variant ≈ 1).
 * Any column the model needs and the table lacks is a one-line SimlabError naming it.
 */
export async function predictWithModel(model: SavedModel, data: ColumnTable): Promise<ColumnTable> {
  if (model.group !== undefined && data.column(model.group) === undefined) {
    throw new SimlabError(`the table has no column "${model.group}", which the model needs (its group column)`, "add the column that names each variant's operator and shape");
  }
  const applied = applyRecipe(data, model.recipe);
  const missing = model.features.find((f) => applied.table.column(f) === undefined);
  if (missing !== undefined) {
    const raw = missing.replace(/_(log_rel|per_work)$/, "");
    throw new SimlabError(`the table has no column "${raw}", which the model needs`, `the model was trained on ${model.provenance.tools.join(", ") || "other columns"}; its features are ${model.features.join(", ")}`);
  }
  const x = featureColumns(applied.table, model.features);
  const estimator = await estimatorFromJSON(model.estimator);
  try {
    const output = estimator.predict(x);
    const n = data.numRows();
    const groups = model.group !== undefined ? groupColumn(data, model.group) : new Array<string>(n).fill("all");
    const rows = Array.from({ length: n }, (_, i) => i);
    const hasTarget = data.column(model.target) !== undefined;
    let measured: Float64Array | undefined;
    let predicted: Float64Array;
    if (hasTarget) {
      measured = featureColumns(data, [model.target])[0]!;
      predicted = bindTarget({ transform: model.targetTransform }, measured, groups, model.target).inverse(output, rows);
    } else {
      const exp = model.targetTransform === "log" || model.targetTransform === "log-relative";
      predicted = exp ? output.map(Math.exp) : output;
    }
    return makeTable({ row: Int32Array.from(rows), group: groups, ...(measured ? { measured } : {}), predicted });
  } finally {
    estimator.dispose?.();
  }
}
