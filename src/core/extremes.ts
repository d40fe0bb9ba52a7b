/**
 * Math.max / Math.min over any number of values. Spreading an array into Math.max(...values) passes every
 * value as an argument and overflows the stack from about 10⁵ values; these loop instead. Same results as
 * Math.max / Math.min: NaN when any value is NaN, -Infinity / Infinity when there are none.
 */
export function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) return NaN;
    if (v > max) max = v;
  }
  return max;
}

export function minOf(values: ArrayLike<number>): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) return NaN;
    if (v < min) min = v;
  }
  return min;
}
