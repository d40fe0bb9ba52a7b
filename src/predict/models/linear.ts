import { choleskySolve } from "./cholesky.js";
import { type Estimator, type EstimatorJSON, normalise, notFitted } from "../estimator.js";
import { type FeatureInput, checkTrainingData, rowCount, toColumns } from "../matrix.js";
import { type Scaler, fitScaler, standardise } from "./standardize.js";

export interface LinearParams {
  /** L2 penalty on the standardised coefficients; 0 is ordinary least squares. */
  alpha: number;
}

interface LinearState {
  scaler: Scaler;
  /** Coefficients on standardised features. */
  coef: number[];
  intercept: number;
}

/**
 * Least squares / ridge regression: features are standardised, then the normal equations
 * (XᵀX + αI) w = Xᵀ(y − ȳ) are solved by Cholesky. For α = 0 a tiny ridge (1e-10 · n) keeps
 * collinear or constant features solvable without changing a well-posed fit.
 */
export class LinearRegression implements Estimator<LinearParams> {
  readonly name: string = "linear";
  readonly params: LinearParams;
  private state?: LinearState;

  constructor(params: Partial<LinearParams> = {}) {
    this.params = { alpha: params.alpha ?? 0 };
  }

  fit(input: FeatureInput, y: ArrayLike<number>): this {
    const x = toColumns(input);
    checkTrainingData(x, y);
    const n = rowCount(x), p = x.length;
    const scaler = fitScaler(x);
    const z = standardise(x, scaler);
    let yMean = 0;
    for (let i = 0; i < n; i++) yMean += y[i]!;
    yMean /= n;
    const gram = new Float64Array(p * p);
    const rhs = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      const za = z[a]!;
      for (let b = 0; b <= a; b++) {
        const zb = z[b]!;
        let s = 0;
        for (let i = 0; i < n; i++) s += za[i]! * zb[i]!;
        gram[a * p + b] = gram[b * p + a] = s;
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += za[i]! * (y[i]! - yMean);
      rhs[a] = s;
    }
    const ridge = this.params.alpha > 0 ? this.params.alpha : 1e-10 * n;
    for (let a = 0; a < p; a++) gram[a * p + a]! += ridge;
    const coef = choleskySolve(gram, rhs, p);
    if (!coef) throw new Error("normal equations are not positive definite");
    this.state = { scaler, coef: Array.from(coef), intercept: yMean };
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const s = this.state ?? notFitted(this.name);
    const x = toColumns(input);
    const out = new Float64Array(rowCount(x)).fill(s.intercept);
    x.forEach((c, j) => {
      const w = s.coef[j]! / s.scaler.scale[j]!, m = s.scaler.mean[j]!;
      for (let i = 0; i < c.length; i++) out[i]! += w * (c[i]! - m);
    });
    return out;
  }

  /** |coefficient| on the standardised feature, normalised to sum to 1. */
  featureImportance(): Float64Array {
    const s = this.state ?? notFitted(this.name);
    return normalise(Float64Array.from(s.coef, Math.abs));
  }

  /** Coefficients and intercept in the original feature units. */
  coefficients(): { coef: Float64Array; intercept: number } {
    const s = this.state ?? notFitted(this.name);
    const coef = Float64Array.from(s.coef, (w, j) => w / s.scaler.scale[j]!);
    let intercept = s.intercept;
    coef.forEach((w, j) => (intercept -= w * s.scaler.mean[j]!));
    return { coef, intercept };
  }

  toJSON(): EstimatorJSON {
    return { model: this.name, params: this.params, state: this.state ?? notFitted(this.name) };
  }

  static fromJSON(json: EstimatorJSON): LinearRegression {
    const m = json.model === "ridge" ? new Ridge(json.params as LinearParams) : new LinearRegression(json.params as LinearParams);
    m.state = json.state as LinearState;
    return m;
  }
}

/** Ridge regression: `LinearRegression` with a penalty (default α = 1 on standardised features). */
export class Ridge extends LinearRegression {
  override readonly name: string = "ridge";
  constructor(params: Partial<LinearParams> = {}) {
    super({ alpha: params.alpha ?? 1 });
  }
}
