/**
 * The one division rule every derived feature uses: 0/0 is 0 (nothing was accessed, so nothing missed),
 * x/0 for x ≠ 0 is NaN (inconsistent data), and NaN in either operand gives NaN.
 */
export function divide(numerator: number, denominator: number): number {
  if (denominator === 0) return numerator === 0 ? 0 : NaN;
  return numerator / denominator;
}

/** Element-wise sum of equally long columns. */
export function sumColumns(columns: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(columns[0]?.length ?? 0);
  for (const c of columns) for (let i = 0; i < out.length; i++) out[i]! += c[i]!;
  return out;
}
