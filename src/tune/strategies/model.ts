import type { SearchContext, Strategy } from "../search.js";
import { freeKnobs } from "./neighbours.js";

const START = 4;
const NEIGHBOURS = 3;
/** Weight of uncertainty (distance to what has been evaluated) against the predicted log score. */
const EXPLORATION = 0.5;

/**
 * Model-guided (active) search: after a random start, a surrogate refitted on everything evaluated so far —
 * the mean log score of each unseen candidate's nearest evaluated candidates in knob space — picks the next
 * one by predicted value minus uncertainty (the mean distance to those neighbours), a lower confidence bound.
 */
export const modelStrategy: Strategy = {
  name: "model",
  async search(ctx: SearchContext) {
    const knobs = freeKnobs(ctx);
    const distance = (a: number, b: number): number => {
      const x = ctx.candidates[a]!, y = ctx.candidates[b]!;
      let d = 0;
      for (const k of knobs) {
        const values = ctx.space[k]!;
        if (typeof x[k] === "number" && typeof y[k] === "number") d += Math.abs(values.indexOf(x[k]) - values.indexOf(y[k])) / Math.max(1, values.length - 1);
        else d += x[k] === y[k] ? 0 : 1;
      }
      return d / Math.max(1, knobs.length);
    };
    await ctx.evaluate(ctx.random.shuffle(ctx.candidates.map((_, i) => i)).slice(0, START));
    while (ctx.remaining() > 0) {
      const known = ctx.history.filter((e) => Number.isFinite(e.score));
      let pick: number | undefined;
      let bound = Infinity;
      for (const i of ctx.unseen()) {
        const near = known.map((e) => ({ d: distance(i, e.index), s: Math.log(e.score) })).sort((a, b) => a.d - b.d).slice(0, NEIGHBOURS);
        const value = near.length === 0 ? 0 : near.reduce((a, n) => a + n.s, 0) / near.length - EXPLORATION * (near.reduce((a, n) => a + n.d, 0) / near.length);
        if (value < bound) [pick, bound] = [i, value];
      }
      if (pick === undefined) break;
      await ctx.evaluate([pick]);
    }
  },
};
