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
 * outer → inner), the innermost one unrolled `unroll` times. Tiles must divide extents and `unroll` must
 * divide the innermost trip count (the operators validate that), so no remainder loops are needed.
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
  for (const v of order) {
    const { extent, tile } = dims[v]!;
    if (tile > 1) {
      emit(`for (int ${v}0 = 0; ${v}0 < ${extent}; ${v}0 += ${tile})`);
      depth++;
    }
  }
  order.forEach((v, position) => {
    const { extent, tile } = dims[v]!;
    const [lo, hi] = tile > 1 ? [`${v}0`, `${v}0 + ${tile}`] : ["0", String(extent)];
    const step = position === order.length - 1 && unroll > 1 ? `${v} += ${unroll}` : `${v}++`;
    emit(`for (int ${v} = ${lo}; ${v} < ${hi}; ${step})`);
    depth++;
  });
  const inner = order[order.length - 1]!;
  const copies = Math.max(unroll, 1);
  depth--;
  emit("{");
  depth++;
  for (let u = 0; u < copies; u++) {
    const at: Record<string, string> = Object.fromEntries(order.map((v) => [v, v]));
    if (u > 0) at[inner] = `(${inner} + ${u})`;
    emit(body(at));
  }
  depth--;
  emit("}");
  return lines.join("\n");
}
