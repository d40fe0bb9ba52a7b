import { SimlabError } from "../core/errors.js";
import type { KnobValue, Knobs } from "../core/contracts.js";
import { mulberry32 } from "../core/random.js";

export type Space = Readonly<Record<string, readonly KnobValue[]>>;

function sizes(space: Space): [string[], number[]] {
  const names = Object.keys(space);
  const counts = names.map((n) => space[n]!.length);
  const empty = names.find((_, i) => counts[i] === 0);
  if (empty !== undefined) throw new SimlabError(`the space gives knob '${empty}' no values`, `list at least one value for ${empty}`);
  return [names, counts];
}

/** The point with mixed-radix index `index` (the last knob varies fastest), its knobs in the space's order. */
function pointAt(space: Space, names: readonly string[], counts: readonly number[], index: number): Knobs {
  const digits = new Array<number>(names.length);
  for (let d = names.length - 1; d >= 0; d--) {
    digits[d] = index % counts[d]!;
    index = Math.floor(index / counts[d]!);
  }
  const point: Record<string, KnobValue> = {};
  for (let d = 0; d < names.length; d++) point[names[d]!] = space[names[d]!]![digits[d]!]!;
  return point;
}

/** Number of points in the full grid of `space`. */
export function gridSize(space: Space): number {
  return sizes(space)[1].reduce((a, b) => a * b, 1);
}

/** The full cartesian product of `space`, in a stable order (the first knob varies slowest). */
export function grid(space: Space): Knobs[] {
  const [names, counts] = sizes(space);
  const total = counts.reduce((a, b) => a * b, 1);
  return Array.from({ length: total }, (_, i) => pointAt(space, names, counts, i));
}

/**
 * `n` distinct points of `space` drawn uniformly without replacement with a seeded generator, in grid order
 * (so a larger `n` with the same seed is not a superset, but the same arguments always give the same points).
 * Asking for at least the grid's size returns the whole grid.
 */
export function sample(space: Space, n: number, seed: number): Knobs[] {
  if (!Number.isInteger(n) || n < 0) throw new SimlabError(`sample size ${n} is invalid`, "give a non-negative integer");
  const [names, counts] = sizes(space);
  const total = counts.reduce((a, b) => a * b, 1);
  if (n >= total) return grid(space);
  const next = mulberry32(seed);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(Math.floor(next() * total));
  return [...chosen].sort((a, b) => a - b).map((i) => pointAt(space, names, counts, i));
}
