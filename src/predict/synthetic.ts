import { Random } from "./random.js";

/**
 * A seeded synthetic regression set for tests and benchmarks: Friedman's #1 function of the first five
 * uniform features, a weak linear term in the next five, the rest pure noise features, plus N(0, noise²):
 *   y = 10 sin(π x0 x1) + 20 (x2 − 0.5)² + 10 x3 + 5 x4 + Σ_{j=5..9} (j − 4)·0.5 x_j + ε
 */
export function friedman(rows: number, features = 20, seed = 0, noise = 1): { x: Float64Array[]; y: Float64Array } {
  if (features < 10) throw new RangeError("friedman needs at least 10 features");
  const rng = new Random(seed);
  const x = Array.from({ length: features }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < features; j++) x[j]![i] = rng.next();
    const v = (j: number) => x[j]![i]!;
    let t = 10 * Math.sin(Math.PI * v(0) * v(1)) + 20 * (v(2) - 0.5) ** 2 + 10 * v(3) + 5 * v(4);
    for (let j = 5; j < 10; j++) t += (j - 4) * 0.5 * v(j);
    y[i] = t + noise * rng.normal();
  }
  return { x, y };
}
