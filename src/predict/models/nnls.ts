import { choleskySolve } from "./cholesky.js";

/**
 * Non-negative least squares, Lawson and Hanson's active-set method: minimise ‖A w − b‖² subject to w ≥ 0,
 * with A given column-major (one Float64Array of m rows per unknown). Columns are scaled to unit norm first
 * (event counts span orders of magnitude); the method works on the n × n Gram matrix AᵀA and Aᵀb, so each
 * step costs O(n³) however many rows there are. A column of zeros gets weight 0.
 *   1. P = ∅ (free variables), w = 0.
 *   2. Gradient g = Aᵀ(b − A w). Stop when no variable outside P has g_j > tol.
 *   3. Move the j outside P with the largest g_j into P; solve least squares on P alone → s.
 *   4. While some s_j ≤ 0 on P: step from w towards s as far as w stays ≥ 0, drop the variables that hit 0
 *      from P, solve again. Then w = s; back to 2.
 */
export function nnls(columns: readonly Float64Array[], b: ArrayLike<number>, maxIter = 30 * Math.max(1, columns.length)): Float64Array {
  const n = columns.length, m = b.length;
  const norm = columns.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));
  const gram = new Float64Array(n * n), atb = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (!(norm[j]! > 0)) continue;
    const cj = columns[j]!;
    let s = 0;
    for (let i = 0; i < m; i++) s += cj[i]! * b[i]!;
    atb[j] = s / norm[j]!;
    for (let k = 0; k <= j; k++) {
      if (!(norm[k]! > 0)) continue;
      const ck = columns[k]!;
      let t = 0;
      for (let i = 0; i < m; i++) t += cj[i]! * ck[i]!;
      gram[j * n + k] = gram[k * n + j] = t / (norm[j]! * norm[k]!);
    }
  }
  const w = new Float64Array(n);
  const free = new Array<boolean>(n).fill(false);
  const usable = norm.map((v) => v > 0);
  const tol = 1e-12 * Math.max(1, ...Array.from(atb, Math.abs));
  const gradient = (j: number) => {
    let g = atb[j]!;
    for (let k = 0; k < n; k++) g -= gram[j * n + k]! * w[k]!;
    return g;
  };
  for (let iter = 0; iter < maxIter; iter++) {
    let best = -1, bestG = tol;
    for (let j = 0; j < n; j++) {
      if (free[j] || !usable[j]) continue;
      const g = gradient(j);
      if (g > bestG) (bestG = g), (best = j);
    }
    if (best < 0) break;
    free[best] = true;
    for (let inner = 0; inner <= n; inner++) {
      const s = solveFree(gram, atb, free, n);
      let alpha = 1, blocked = false;
      for (let j = 0; j < n; j++) {
        if (free[j] && s[j]! <= 0) {
          blocked = true;
          alpha = Math.min(alpha, w[j]! / (w[j]! - s[j]!));
        }
      }
      if (!blocked) {
        w.set(s);
        break;
      }
      for (let j = 0; j < n; j++) {
        if (!free[j]) continue;
        w[j] = w[j]! + alpha * (s[j]! - w[j]!);
        if (w[j]! <= 1e-15) (w[j] = 0), (free[j] = false);
      }
    }
  }
  return w.map((v, j) => (norm[j]! > 0 ? Math.max(0, v) / norm[j]! : 0));
}

/** Least squares restricted to the free variables (others 0): the free block of the normal equations. */
function solveFree(gram: Float64Array, atb: Float64Array, free: readonly boolean[], n: number): Float64Array {
  const idx = free.flatMap((f, j) => (f ? [j] : []));
  const p = idx.length;
  const a = new Float64Array(p * p), rhs = new Float64Array(p);
  idx.forEach((j, r) => {
    rhs[r] = atb[j]!;
    idx.forEach((k, c) => (a[r * p + c] = gram[j * n + k]!));
  });
  const ridged = () => {
    for (let r = 0; r < p; r++) a[r * p + r]! += 1e-10; // exactly collinear columns: a tiny ridge makes them solvable
    return choleskySolve(a, rhs, p) ?? new Float64Array(p);
  };
  const x = choleskySolve(a, rhs, p) ?? ridged();
  const out = new Float64Array(n);
  idx.forEach((j, r) => (out[j] = x[r]!));
  return out;
}
