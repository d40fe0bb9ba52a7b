import { SimlabError } from "../core/errors.js";
import type { Stats } from "../core/contracts.js";

/** Simulator statistics of one variant, named like the wide table's columns (`cachegrind.kernel.Ir`). */
export type SimStats = Stats;

/** Ranks simulated variants: a lower score is a faster predicted variant. */
export interface Predictor {
  /** e.g. "fixed cost Ir + 10·(D1mr + D1mw)" or "boosting (model.json)". */
  name: string;
  /** Simulators whose statistics the predictor reads, e.g. ["cachegrind"]. */
  tools: string[];
  /**
   * Each candidate's predicted runtime relative to the reference schedule's (1 = as fast). A candidate is
   * scored against the reference alone, so its score never depends on which other candidates were simulated:
   * strategies can compare scores across time and a replay scores exactly as the live run did.
   */
  score(candidates: readonly SimStats[], reference: SimStats): Promise<number[]>;
}

const L1_WEIGHT = 10;

/** The paper's fixed cost Ir + 10·(D1mr + D1mw) of the kernel: needs no training, ranks well out of distribution. */
export function fixedCostPredictor(tool = "cachegrind"): Predictor {
  const cost = (s: SimStats): number => {
    const scope = [`${tool}.kernel.`, `${tool}.total.`].find((p) => s[`${p}Ir`] !== undefined);
    if (scope === undefined) throw new SimlabError(`the fixed cost needs ${tool}'s Ir, D1mr and D1mw`, `simulate with ${tool}, or pass --model / --train`);
    return s[`${scope}Ir`]! + L1_WEIGHT * ((s[`${scope}D1mr`] ?? 0) + (s[`${scope}D1mw`] ?? 0));
  };
  return {
    name: `fixed cost Ir + ${L1_WEIGHT}·(D1mr + D1mw) (${tool})`,
    tools: [tool],
    async score(candidates, reference) {
      const base = cost(reference);
      return candidates.map((c) => cost(c) / base);
    },
  };
}
