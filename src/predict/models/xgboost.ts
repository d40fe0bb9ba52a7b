import type { XGBoostBooster, XGBoostClass, XGBoostModel } from "ml-xgboost";
import { SimlabError } from "../../core/errors.js";
import { type Estimator, type EstimatorJSON, notFitted } from "../estimator.js";
import { type FeatureInput, checkTrainingData, rowCount, toColumns, toRows } from "../matrix.js";

export interface XGBoostParams {
  nEstimators: number;
  maxDepth: number;
  learningRate: number;
  subsample: number;
  colsampleBytree: number;
  minChildWeight: number;
  /** L2 penalty on leaf weights (xgboost's lambda). */
  l2: number;
  seed: number;
}

/**
 * ml-xgboost runs in a WebAssembly heap fixed at 16 MB: 80,000 × 16 values already crash it. Refuse
 * training sets above this many values (rows × features) with a clear error instead.
 */
export const XGBOOST_MAX_VALUES = 400_000;

let loading: Promise<XGBoostClass> | undefined;

/** Loads the optional ml-xgboost backend once (its WebAssembly start-up chatter is silenced). */
export function loadXGBoost(): Promise<XGBoostClass> {
  loading ??= (async () => {
    const { warn, error } = console;
    const quiet = (print: (...a: unknown[]) => void) => (...a: unknown[]) => {
      if (!/wasm streaming compile failed|falling back to ArrayBuffer/.test(String(a[0]))) print(...a);
    };
    console.warn = quiet(warn);
    console.error = quiet(error);
    try {
      const mod = await import("ml-xgboost");
      return await mod.default;
    } catch (e) {
      loading = undefined;
      throw new SimlabError(`the xgboost backend is not available (${(e as Error).message.split("\n")[0]})`, "install the optional dependency with `npm install ml-xgboost`, or use --model boosting");
    } finally {
      console.warn = warn;
      console.error = error;
    }
  })();
  return loading;
}

/**
 * Gradient-boosted trees through ml-xgboost (optional backend). Create with `await XGBoostRegressor.create()`
 * (the WebAssembly module loads asynchronously); call `dispose()` to free the model's wasm memory.
 */
export class XGBoostRegressor implements Estimator<XGBoostParams> {
  readonly name = "xgboost";
  readonly params: XGBoostParams;
  private booster?: XGBoostBooster;

  private constructor(private readonly lib: XGBoostClass, params: Partial<XGBoostParams>) {
    this.params = {
      nEstimators: params.nEstimators ?? 100,
      maxDepth: params.maxDepth ?? 6,
      learningRate: params.learningRate ?? 0.3,
      subsample: params.subsample ?? 1,
      colsampleBytree: params.colsampleBytree ?? 1,
      minChildWeight: params.minChildWeight ?? 1,
      l2: params.l2 ?? 1,
      seed: params.seed ?? 0,
    };
  }

  static async create(params: Partial<XGBoostParams> = {}): Promise<XGBoostRegressor> {
    return new XGBoostRegressor(await loadXGBoost(), params);
  }

  fit(input: FeatureInput, y: ArrayLike<number>): this {
    const x = toColumns(input);
    checkTrainingData(x, y);
    const values = rowCount(x) * x.length;
    if (values > XGBOOST_MAX_VALUES) {
      throw new SimlabError(
        `xgboost cannot fit ${rowCount(x)} rows × ${x.length} features: ml-xgboost has a fixed 16 MB memory (limit ${XGBOOST_MAX_VALUES} values)`,
        "use --model boosting (simlab's own gradient boosting) for larger data",
      );
    }
    this.dispose();
    const p = this.params;
    this.booster = new this.lib({
      booster: "gbtree",
      objective: "reg:linear",
      iterations: p.nEstimators,
      max_depth: p.maxDepth,
      eta: p.learningRate,
      subsample: p.subsample,
      colsample_bytree: p.colsampleBytree,
      min_child_weight: p.minChildWeight,
      lambda: p.l2,
      seed: p.seed,
      silent: 1,
    });
    this.booster.train(toRows(x), Array.from(y));
    return this;
  }

  predict(input: FeatureInput): Float64Array {
    const booster = this.booster ?? notFitted(this.name);
    const x = toColumns(input);
    if (rowCount(x) === 0) return new Float64Array(0);
    return Float64Array.from(booster.predict(toRows(x)));
  }

  dispose(): void {
    this.booster?.free();
    this.booster = undefined;
  }

  toJSON(): EstimatorJSON {
    return { model: this.name, params: this.params, state: (this.booster ?? notFitted(this.name)).toJSON() };
  }

  static async fromJSON(json: EstimatorJSON): Promise<XGBoostRegressor> {
    const m = await XGBoostRegressor.create(json.params as Partial<XGBoostParams>);
    m.booster = m.lib.load(json.state as XGBoostModel);
    return m;
  }
}
