import { type Estimator, type EstimatorJSON, notFitted } from "../estimator.js";
import { type FeatureInput, checkTrainingData, rowCount, toColumns } from "../matrix.js";
import { type Scaler, fitScaler, standardise } from "./standardize.js";

export interface KnnParams {
  k: number;
  /** `uniform`: mean of the k neighbours; `distance`: weighted by 1 / distance (an exact match wins). */
  weights: "uniform" | "distance";
}

interface KnnState {
  scaler: Scaler;
  x: number[][];
  y: number[];
}

/** k-nearest-neighbour regression on standardised features (Euclidean distance, brute force). */
export class KnnRegressor implements Estimator<KnnParams> {
  readonly name = "knn";
  readonly params: KnnParams;
  private scaler?: Scaler;
  private x: Float64Array[] = [];
  private y = new Float64Array(0);

  constructor(params: Partial<KnnParams> = {}) {
    this.params = { k: params.k ?? 5, weights: params.weights ?? "uniform" };
    if (!(Number.isInteger(this.params.k) && this.params.k >= 1)) throw new RangeError("k must be a positive integer");
  }

  fit(input: FeatureInput, y: ArrayLike<number>): this {
    const x = toColumns(input);
    checkTrainingData(x, y);
    this.scaler = fitScaler(x);
    this.x = standardise(x, this.scaler);
    this.y = Float64Array.from(y);
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const scaler = this.scaler ?? notFitted(this.name);
    const q = standardise(toColumns(input), scaler);
    const n = this.y.length, m = rowCount(q), k = Math.min(this.params.k, n);
    const out = new Float64Array(m);
    const dist = new Float64Array(n);
    const bestD = new Float64Array(k), bestI = new Int32Array(k);
    for (let i = 0; i < m; i++) {
      dist.fill(0);
      this.x.forEach((col, f) => {
        const v = q[f]![i]!;
        for (let j = 0; j < n; j++) dist[j]! += (col[j]! - v) ** 2;
      });
      // Keep the k smallest distances by insertion (k is small).
      let filled = 0;
      for (let j = 0; j < n; j++) {
        const d = dist[j]!;
        if (filled === k && d >= bestD[k - 1]!) continue;
        let p = filled < k ? filled++ : k - 1;
        while (p > 0 && bestD[p - 1]! > d) {
          bestD[p] = bestD[p - 1]!;
          bestI[p] = bestI[p - 1]!;
          p--;
        }
        bestD[p] = d;
        bestI[p] = j;
      }
      out[i] = this.params.weights === "uniform" ? uniformMean(bestI, this.y) : distanceMean(bestD, bestI, this.y);
    }
    return out;
  }

  toJSON(): EstimatorJSON {
    const state: KnnState = { scaler: this.scaler ?? notFitted(this.name), x: this.x.map((c) => Array.from(c)), y: Array.from(this.y) };
    return { model: this.name, params: this.params, state };
  }

  static fromJSON(json: EstimatorJSON): KnnRegressor {
    const m = new KnnRegressor(json.params as Partial<KnnParams>);
    const s = json.state as KnnState;
    m.scaler = s.scaler;
    m.x = s.x.map((c) => Float64Array.from(c));
    m.y = Float64Array.from(s.y);
    return m;
  }
}

function uniformMean(idx: Int32Array, y: Float64Array): number {
  let s = 0;
  for (const j of idx) s += y[j]!;
  return s / idx.length;
}

function distanceMean(sqDist: Float64Array, idx: Int32Array, y: Float64Array): number {
  if (sqDist[0] === 0) return y[idx[0]!]!;
  let s = 0, w = 0;
  for (let t = 0; t < idx.length; t++) {
    const wt = 1 / Math.sqrt(sqDist[t]!);
    s += wt * y[idx[t]!]!;
    w += wt;
  }
  return s / w;
}
