import type { KnobValue } from "../../core/contracts.js";
import type { SearchContext, Strategy } from "../search.js";
import { freeKnobs, mutate, randomUnseen } from "./neighbours.js";

const POPULATION = 8;
const MUTATION = 0.3;

/**
 * A genetic algorithm: a random first generation, then generations of children of tournament-chosen parents
 * (uniform crossover of the knobs, a random one-knob mutation), each generation evaluated as one batch. A
 * child that is no candidate or was evaluated before is replaced by a random unseen candidate.
 */
export const geneticStrategy: Strategy = {
  name: "genetic",
  async search(ctx: SearchContext) {
    const size = Math.min(POPULATION, ctx.candidates.length);
    let population: number[] = ctx.random.shuffle(ctx.candidates.map((_, i) => i)).slice(0, size);
    await ctx.evaluate(population);
    const knobs = freeKnobs(ctx);
    const pick = () => {
      const a = population[ctx.random.int(population.length)]!;
      const b = population[ctx.random.int(population.length)]!;
      return (ctx.scoreOf(a) ?? Infinity) <= (ctx.scoreOf(b) ?? Infinity) ? a : b;
    };
    while (ctx.remaining() > 0) {
      const children = new Set<number>();
      for (let tries = 0; children.size < Math.min(size, ctx.remaining()) && tries < 20 * size; tries++) {
        const [p, q] = [ctx.candidates[pick()]!, ctx.candidates[pick()]!];
        let child: Record<string, KnobValue> = { ...p };
        for (const k of knobs) if (ctx.random.next() < 0.5) child[k] = q[k]!;
        if (ctx.random.next() < MUTATION) child = { ...mutate(ctx, child) };
        const i = ctx.find(child);
        if (i !== undefined && i >= 0 && !ctx.seen(i)) children.add(i);
      }
      while (children.size < Math.min(size, ctx.remaining())) {
        const i = randomUnseen(ctx);
        if (i === undefined) break;
        children.add(i);
      }
      if (children.size === 0) break;
      await ctx.evaluate([...children]);
      // The next parents: the best `size` of this generation and the last.
      population = [...population, ...children].sort((a, b) => (ctx.scoreOf(a) ?? Infinity) - (ctx.scoreOf(b) ?? Infinity)).slice(0, size);
    }
  },
};
