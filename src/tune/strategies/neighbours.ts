import type { KnobValue, Knobs } from "../../core/contracts.js";
import type { SearchContext } from "../search.js";

/** Knobs the space gives more than one value: the ones a search can change. */
export function freeKnobs(ctx: SearchContext): string[] {
  return Object.keys(ctx.space).filter((k) => ctx.space[k]!.length > 1);
}

/** The candidates one knob change away from `index` (within the space), in a seeded order. */
export function neighbours(ctx: SearchContext, index: number): number[] {
  const from = ctx.candidates[index]!;
  const out: number[] = [];
  for (const knob of freeKnobs(ctx)) {
    for (const value of ctx.space[knob]!) {
      if (value === from[knob]) continue;
      const i = ctx.find({ ...from, [knob]: value });
      if (i !== undefined && i >= 0) out.push(i);
    }
  }
  return ctx.random.shuffle(out);
}

/** A random unseen candidate (undefined when all are seen). */
export function randomUnseen(ctx: SearchContext): number | undefined {
  const unseen = ctx.unseen();
  return unseen.length === 0 ? undefined : unseen[ctx.random.int(unseen.length)];
}

/** A knob setting with one knob set to a random other value of the space. */
export function mutate(ctx: SearchContext, knobs: Knobs): Knobs {
  const free = freeKnobs(ctx);
  if (free.length === 0) return knobs;
  const knob = free[ctx.random.int(free.length)]!;
  const values = ctx.space[knob]!.filter((v: KnobValue) => v !== knobs[knob]);
  return { ...knobs, [knob]: values[ctx.random.int(values.length)]! };
}
