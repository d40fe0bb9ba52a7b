/**
 * Regression errors between measured values y and predictions p over n rows.
 * Each returns NaN when it is undefined for the input (no rows, or the case named).
 */

/** MAE = (1/n) Σ |yᵢ − pᵢ| */
export function mae(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i]! - p[i]!);
  return s / y.length;
}

/** MAPE = (100 / n) Σ |yᵢ − pᵢ| / |yᵢ|, in percent; NaN if any yᵢ = 0. */
export function mape(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 0) return NaN;
    s += Math.abs(y[i]! - p[i]!) / Math.abs(y[i]!);
  }
  return (100 * s) / y.length;
}

/** RMSE = √((1/n) Σ (yᵢ − pᵢ)²) */
export function rmse(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - p[i]!) ** 2;
  return Math.sqrt(s / y.length);
}

/** R² = 1 − Σ (yᵢ − pᵢ)² / Σ (yᵢ − ȳ)²; NaN when y is constant (the denominator is 0). */
export function r2(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i]!;
  mean /= y.length;
  let res = 0, tot = 0;
  for (let i = 0; i < y.length; i++) {
    res += (y[i]! - p[i]!) ** 2;
    tot += (y[i]! - mean) ** 2;
  }
  return tot === 0 ? NaN : 1 - res / tot;
}
