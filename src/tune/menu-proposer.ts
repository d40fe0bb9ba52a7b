import { canonicalKnobs } from "../store/index.js";
import type { Knobs } from "../core/contracts.js";
import type { Proposer, ProposerInput } from "./proposer.js";

/**
 * The optimisation-menu proposer: from each variant of the beam (the best so far), every change of one knob to
 * another value on the menu (reorder, tile, unroll, …) that has not been tried — a beam search over one-knob moves.
 */
export function menuProposer(options: { perRound?: number } = {}): Proposer {
  return {
    name: "menu",
    async propose({ best, history, menu }: ProposerInput): Promise<Knobs[]> {
      const tried = new Set(history.map((h) => canonicalKnobs(h.knobs)));
      const out = new Map<string, Knobs>();
      for (const from of best) {
        for (const [knob, values] of Object.entries(menu)) {
          for (const value of values) {
            if (value === from.knobs[knob]) continue;
            const next = { ...from.knobs, [knob]: value };
            const id = canonicalKnobs(next);
            if (!tried.has(id) && !out.has(id)) out.set(id, next);
          }
        }
      }
      return [...out.values()].slice(0, options.perRound ?? Infinity);
    },
  };
}
