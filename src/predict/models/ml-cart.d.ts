/** Minimal types for ml-cart 2.1.1 (the package ships none): only what simlab uses. */
declare module "ml-cart" {
  export interface DecisionTreeRegressionOptions {
    gainFunction?: "regression";
    splitFunction?: "mean";
    minNumSamples?: number;
    maxDepth?: number;
  }
  export interface DecisionTreeRegressionModel {
    options: DecisionTreeRegressionOptions;
    root: unknown;
    name: "DTRegression";
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeRegressionOptions);
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
    toJSON(): DecisionTreeRegressionModel;
    static load(model: DecisionTreeRegressionModel): DecisionTreeRegression;
  }
}
