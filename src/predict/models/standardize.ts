import type { Columns } from "../matrix.js";

/** Per-feature mean and standard deviation; a constant feature keeps scale 1 so it maps to zeros. */
export interface Scaler {
  mean: number[];
  scale: number[];
}

export function fitScaler(x: Columns): Scaler {
  const mean: number[] = [];
  const scale: number[] = [];
  for (const c of x) {
    let m = 0;
    for (let i = 0; i < c.length; i++) m += c[i]!;
    m /= c.length || 1;
    let v = 0;
    for (let i = 0; i < c.length; i++) v += (c[i]! - m) ** 2;
    const sd = Math.sqrt(v / (c.length || 1));
    mean.push(m);
    scale.push(sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1);
  }
  return { mean, scale };
}

export function standardise(x: Columns, s: Scaler): Float64Array[] {
  return x.map((c, j) => {
    const out = new Float64Array(c.length);
    const m = s.mean[j]!, sd = s.scale[j]!;
    for (let i = 0; i < c.length; i++) out[i] = (c[i]! - m) / sd;
    return out;
  });
}
