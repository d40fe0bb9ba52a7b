import { BATCH, type SearchContext, type Strategy } from "../search.js";

/** Candidates in a seeded random order, until the budget ends. */
export const randomStrategy: Strategy = {
  name: "random",
  async search(ctx: SearchContext) {
    const order = ctx.random.shuffle(ctx.candidates.map((_, i) => i));
    for (let at = 0; ctx.remaining() > 0 && at < order.length; at += BATCH) await ctx.evaluate(order.slice(at, at + BATCH));
  },
};
