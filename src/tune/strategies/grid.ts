import { BATCH, type SearchContext, type Strategy } from "../search.js";

/** Every candidate in grid order, until the budget ends (the paper's "simulate everything"). */
export const gridStrategy: Strategy = {
  name: "grid",
  async search(ctx: SearchContext) {
    while (ctx.remaining() > 0) await ctx.evaluate(ctx.unseen().slice(0, BATCH));
  },
};
