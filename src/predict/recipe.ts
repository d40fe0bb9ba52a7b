import type { ColumnTable } from "arquero";
import { applySimulatorRecipe, defaultSources, recipeSources, simulatorSources, type SimulatorRecipe } from "../data/features/simulator-recipe.js";
import { SimlabError } from "../core/errors.js";
import { autoFeatures, incompleteColumns } from "./design.js";

/**
 * How a fit's features come from a table, saved with the model so `predict` can recompute them on new data:
 * `columns` uses named columns as they are; `simulator` derives the per-group recipe from simulator events
 * (src/data/features/simulator-recipe.ts).
 */
export type FeatureRecipe = { kind: "columns"; columns: string[] } | SimulatorRecipe;

/** What the user asked for: column names, "auto", "simulator" or "simulator=tool.scope[+tool.scope]". */
export type FeatureRequest = readonly string[] | "auto" | "simulator" | `simulator=${string}`;

/**
 * The recipe for a request. Default (undefined or "auto" given as the default): the simulator recipe when the
 * table has simulator columns and a group is named, else the auto rule (design.ts), which never takes a column
 * with missing values (a knob other operators lack); those are reported in `skipped`.
 */
export function resolveRecipe(table: ColumnTable, request: FeatureRequest | undefined, target: string, group: string | undefined): { recipe: FeatureRecipe; skipped: string[] } {
  const list = typeof request === "string" ? [request] : request;
  const single = list?.length === 1 ? list[0]! : undefined;
  if (single !== undefined && (single === "simulator" || single.startsWith("simulator="))) {
    if (group === undefined) throw new SimlabError("--features simulator normalises within groups and needs --group", "pass --group COL (e.g. group: one operator at one shape)");
    return { recipe: { kind: "simulator", sources: recipeSources(table, single), group }, skipped: [] };
  }
  if (list === undefined || single === "auto") {
    if (single === undefined && group !== undefined && simulatorSources(table).length > 0) {
      return { recipe: { kind: "simulator", sources: defaultSources(table), group }, skipped: [] };
    }
    return { recipe: { kind: "columns", columns: autoFeatures(table, target, group) }, skipped: incompleteColumns(table, target, group) };
  }
  return { recipe: { kind: "columns", columns: [...list] }, skipped: [] };
}

/** The table with the recipe's feature columns, and their names. */
export function applyRecipe(table: ColumnTable, recipe: FeatureRecipe): { table: ColumnTable; features: string[] } {
  return recipe.kind === "columns" ? { table, features: [...recipe.columns] } : applySimulatorRecipe(table, recipe);
}

/** One line describing a recipe. */
export function recipeText(recipe: FeatureRecipe): string {
  return recipe.kind === "columns" ? `columns ${recipe.columns.join(", ")}` : `simulator=${recipe.sources.join("+")} within ${recipe.group}`;
}
