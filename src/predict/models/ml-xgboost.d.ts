/** Minimal types for ml-xgboost 1.1.2 (the package ships none): its default export resolves to the class. */
declare module "ml-xgboost" {
  export interface XGBoostModel {
    name: "ml-xgboost";
    model: number[];
    options: Record<string, string | number>;
  }
  export interface XGBoostBooster {
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
    toJSON(): XGBoostModel;
    free(): void;
  }
  export interface XGBoostClass {
    new (options: Record<string, string | number>): XGBoostBooster;
    load(model: XGBoostModel): XGBoostBooster;
  }
  const ready: Promise<XGBoostClass>;
  export default ready;
}
