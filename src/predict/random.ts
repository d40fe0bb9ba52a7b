export { Random } from "../core/random.js";

/** 0, 1, …, n-1 as a Uint32Array. */
export function range(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
