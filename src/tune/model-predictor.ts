import { table } from "arquero";
import { SimlabError } from "../core/errors.js";
import { loadTable } from "../data/load-table.js";
import { fitTable } from "../predict/fit-table.js";
import { asSavedModel, loadModel, predictWithModel, savedModel, type SavedModel } from "../predict/saved-model.js";
import type { Predictor } from "./predictor.js";

// Apart from predictor.ts so a tuning answered from the cache never loads the predictors.

/** A saved model: each candidate is predicted in a group of two with the reference, and scored by the ratio. */
export function modelPredictor(model: SavedModel, label = "model"): Predictor {
  const tools = [...new Set(model.provenance.tools.map((t) => t.split(".")[0]!))];
  return {
    name: `${model.estimator.model} (${label})`,
    tools: tools.length > 0 ? tools : ["cachegrind"],
    async score(candidates, reference) {
      if (candidates.length === 0) return [];
      const group = model.group ?? "group";
      const columns = [...new Set([...Object.keys(reference), ...candidates.flatMap((c) => Object.keys(c))])];
      const rows = candidates.flatMap((c, i) => [
        { ...reference, [group]: `c${i}` },
        { ...c, [group]: `c${i}` },
      ]);
      const data = table(Object.fromEntries([group, ...columns].map((name) => [name, rows.map((r) => (r as Record<string, unknown>)[name] ?? NaN)])));
      const predicted = (await predictWithModel(model, data)).array("predicted") as ArrayLike<number>;
      return candidates.map((_, i) => predicted[2 * i + 1]! / predicted[2 * i]!);
    },
  };
}

/** A predictor from a model file (or an already loaded saved model). */
export async function loadPredictor(model: string | SavedModel): Promise<Predictor> {
  return typeof model === "string" ? modelPredictor(await loadModel(model), model) : modelPredictor(asSavedModel(model));
}

/**
 * A model trained on the fly from a store or table file (any `%load` format) with runtime_min_s and simulator
 * columns: the default model on the per-group simulator recipe, fitted once (two-fold CV, no baselines: the
 * tuner only needs the final model).
 */
export async function trainedPredictor(source: string, signal?: AbortSignal): Promise<Predictor> {
  let data = await loadTable(source);
  if (data.column("status") !== undefined) data = data.filter((d: { status: string }) => d.status === "ok");
  if (data.numRows() < 4) throw new SimlabError(`${source} has ${data.numRows()} finished rows to train on`, "train on a store with a sweep under native and a simulator (at least a few variants)");
  const fit = await fitTable(data, { target: "runtime_min_s", group: "group", features: "simulator", cv: "kfold", folds: 2, baselines: false, ...(signal ? { signal } : {}) });
  return modelPredictor(savedModel(fit, source), `trained on ${source}`);
}
