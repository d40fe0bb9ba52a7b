/** One loop of an operator: its C variable, trip count and optional tile size (≤ 1 = untiled). */
export interface LoopDim {
  extent: number;
  tile: number;
}

/** Index expressions by loop variable, e.g. { i: "i", j: "(j + 1)" } inside an unrolled copy. */
export type Indexes = Readonly<Record<string, string>>;

/** Trip count of the innermost point loop: its tile if tiled, else its extent. */
export function innermostTrip(order: readonly string[], dims: Readonly<Record<string, LoopDim>>): number {
  const inner = dims[order[order.length - 1]!]!;
  return inner.tile > 1 ? inner.tile : inner.extent;
}

/**
 * C source of a perfectly nested loop: tile loops (for tiled dims, in `order`) around point loops (in `order`,
 * outer → inner), the innermost one unrolled `unroll` times, with a remainder loop when `unroll` does not
 * divide its trip count. Tiles must divide extents (the operators validate that).
 */
export function loopNest(
  order: readonly string[],
  dims: Readonly<Record<string, LoopDim>>,
  unroll: number,
  body: (at: Indexes) => string,
): string {
  const lines: string[] = [];
  let depth = 1;
  const emit = (line: string) => lines.push("  ".repeat(depth) + line);
  const bounds = (v: string): [string, string] => {
    const { extent, tile } = dims[v]!;
    return tile > 1 ? [`${v}0`, `${v}0 + ${tile}`] : ["0", String(extent)];
  };
  for (const v of order) {
    const { extent, tile } = dims[v]!;
    if (tile > 1) {
      emit(`for (int ${v}0 = 0; ${v}0 < ${extent}; ${v}0 += ${tile})`);
      depth++;
    }
  }
  const outer = order.slice(0, -1);
  const inner = order[order.length - 1]!;
  for (const v of outer) {
    const [lo, hi] = bounds(v);
    emit(`for (int ${v} = ${lo}; ${v} < ${hi}; ${v}++)`);
    depth++;
  }
  const at = (offset: number): Indexes => ({ ...Object.fromEntries(order.map((v) => [v, v])), [inner]: offset ? `(${inner} + ${offset})` : inner });
  const [lo, hi] = bounds(inner);
  const copies = Math.max(unroll, 1);
  if (copies === 1) {
    emit(`for (int ${inner} = ${lo}; ${inner} < ${hi}; ${inner}++)`);
    emit(`  ${body(at(0))}`);
    return lines.join("\n");
  }
  emit("{");
  depth++;
  emit(`int ${inner} = ${lo};`);
  emit(`for (; ${inner} + ${copies - 1} < ${hi}; ${inner} += ${copies}) {`);
  for (let u = 0; u < copies; u++) emit(`  ${body(at(u))}`);
  emit("}");
  if (innermostTrip(order, dims) % copies !== 0) emit(`for (; ${inner} < ${hi}; ${inner}++) ${body(at(0))}`);
  depth--;
  emit("}");
  return lines.join("\n");
}
