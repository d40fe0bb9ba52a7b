import { SimlabError } from "../../core/errors.js";
import { type Estimator, type EstimatorJSON, normalise, notFitted } from "../estimator.js";
import { type FeatureInput, checkTrainingData, rowCount, toColumns } from "../matrix.js";
import { nnls } from "./nnls.js";

export interface CostModelParams {
  /** Add a non-negative constant (a fixed cost per run). */
  intercept: boolean;
  /**
   * Fit relative errors, Σ ((y − ŷ) / y)², instead of absolute ones: right for runtimes in seconds spanning
   * orders of magnitude (a 1 ms and a 30 ms kernel count alike). Needs y > 0.
   */
  relative: boolean;
}

/**
 * The analytical cost model, fitted: runtime ≈ w₀ + Σ_e w_e · x_e with every w ≥ 0 (non-negative least
 * squares, nnls.ts). On raw event counts the weights are cycles per event (e.g. per instruction, per L1
 * miss); a negative weight would say a miss makes code faster, so none is allowed. Monotone by construction:
 * more of any event never predicts a faster variant.
 */
export class CostModel implements Estimator<CostModelParams> {
  readonly name = "costmodel";
  readonly params: CostModelParams;
  private weights?: { coef: number[]; intercept: number; meanFeature: number[] };

  constructor(params: Partial<CostModelParams> = {}) {
    this.params = { intercept: params.intercept ?? true, relative: params.relative ?? false };
  }

  fit(input: FeatureInput, y: ArrayLike<number>): this {
    const x = toColumns(input);
    checkTrainingData(x, y);
    const n = rowCount(x);
    const rowScale = new Float64Array(n).fill(1);
    if (this.params.relative) {
      for (let i = 0; i < n; i++) {
        if (!(y[i]! > 0)) throw new SimlabError(`the cost model's relative fit needs positive targets, got ${y[i]} at row ${i}`, "use --params relative=false, or a runtime target");
        rowScale[i] = 1 / y[i]!;
      }
    }
    const columns = x.map((c) => c.map((v, i) => v * rowScale[i]!));
    if (this.params.intercept) columns.push(Float64Array.from(rowScale));
    const b = Float64Array.from({ length: n }, (_, i) => y[i]! * rowScale[i]!);
    const w = nnls(columns, b);
    const meanFeature = x.map((c) => c.reduce((s, v) => s + Math.abs(v), 0) / n);
    this.weights = { coef: Array.from(w.subarray(0, x.length)), intercept: this.params.intercept ? w[x.length]! : 0, meanFeature };
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const { coef, intercept } = this.weights ?? notFitted(this.name);
    const x = toColumns(input);
    const out = new Float64Array(rowCount(x)).fill(intercept);
    x.forEach((c, j) => {
      const w = coef[j]!;
      for (let i = 0; i < c.length; i++) out[i]! += w * c[i]!;
    });
    return out;
  }

  /** The fitted weights (cost per unit of each feature) and the constant. */
  coefficients(): { coef: Float64Array; intercept: number } {
    const { coef, intercept } = this.weights ?? notFitted(this.name);
    return { coef: Float64Array.from(coef), intercept };
  }

  /** Each feature's share of the average predicted cost on the training rows: w_j · mean |x_j|, normalised. */
  featureImportance(): Float64Array {
    const { coef, meanFeature } = this.weights ?? notFitted(this.name);
    return normalise(Float64Array.from(coef, (w, j) => w * meanFeature[j]!));
  }

  toJSON(): EstimatorJSON {
    return { model: this.name, params: this.params, state: this.weights ?? notFitted(this.name) };
  }

  static fromJSON(json: EstimatorJSON): CostModel {
    const m = new CostModel(json.params as Partial<CostModelParams>);
    m.weights = json.state as { coef: number[]; intercept: number; meanFeature: number[] };
    return m;
  }
}
