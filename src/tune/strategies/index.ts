import { SimlabError } from "../../core/errors.js";
import { closest } from "../../core/suggest.js";
import type { Strategy } from "../search.js";
import { annealStrategy } from "./anneal.js";
import { geneticStrategy } from "./genetic.js";
import { gridStrategy } from "./grid.js";
import { modelStrategy } from "./model.js";
import { randomStrategy } from "./random.js";

/** The search strategies by name (`--strategy`). */
export const strategies: Readonly<Record<string, Strategy>> = {
  grid: gridStrategy,
  random: randomStrategy,
  genetic: geneticStrategy,
  anneal: annealStrategy,
  model: modelStrategy,
};

export const strategyNames = Object.keys(strategies);

export function strategyFor(name: string): Strategy {
  const s = strategies[name];
  if (!s) {
    const near = closest(name, strategyNames);
    throw new SimlabError(`unknown strategy '${name}'${near ? ` (did you mean '${near}'?)` : ""}`, `strategies are ${strategyNames.join(", ")}`);
  }
  return s;
}
