import type { SearchContext, Strategy } from "../search.js";
import { neighbours, randomUnseen } from "./neighbours.js";

const START_TEMPERATURE = 0.2;
const COOLING = 0.85;

/**
 * Simulated annealing over one-knob moves: a step to an unseen neighbour is taken when it is better, or with
 * probability exp(−Δ/T) where Δ is the log score ratio; T cools geometrically. With every neighbour seen, it
 * jumps to a random unseen candidate. One evaluation per step.
 */
export const annealStrategy: Strategy = {
  name: "anneal",
  async search(ctx: SearchContext) {
    let current = ctx.random.int(ctx.candidates.length);
    await ctx.evaluate([current]);
    let temperature = START_TEMPERATURE;
    while (ctx.remaining() > 0) {
      const next = neighbours(ctx, current).find((i) => !ctx.seen(i)) ?? randomUnseen(ctx);
      if (next === undefined) break;
      await ctx.evaluate([next]);
      const delta = Math.log((ctx.scoreOf(next) ?? Infinity) / (ctx.scoreOf(current) ?? Infinity));
      if (!(delta > 0) || ctx.random.next() < Math.exp(-delta / temperature)) current = next;
      temperature *= COOLING;
    }
  },
};
