/**
 * simlab's public API, in the order of the data path: everything a magic does is also a function here,
 * importable from a notebook (`import { runSweep, loadTable, fitTable } from "simlab"`) or any Node program.
 * Internals (browser flags, parsers of simulator output, the display plumbing) are not part of it.
 */
export { SimlabError, isSimlabError } from "./core/errors.js";
export { Random } from "./core/random.js";
export * from "./core/contracts.js";
export { ISAS, hostIsa, type Isa } from "./core/isa.js";

// Workloads and simulators: what a sweep is made of.
export { compilerIdentity, CROSS_FLAGS, grid, sample, toolchainFor, workloadFor, workloadKinds, type Toolchain } from "./workloads/index.js";
export { readCacheGeometry, toolFor, toolNames } from "./sim/index.js";

// Sweeps: spec in, runs into the store.
export {
  loadSpecFile,
  parseSpaceText,
  parseSpec,
  progressText,
  runSweep,
  importRuntimes,
  importSummaryLine,
  runSlurmTask,
  specFromArgs,
  stderrProgress,
  type ProgressSnapshot,
  type RunSweepOptions,
  type ImportRuntimesOptions,
  type ImportRuntimesSummary,
  type SweepArgs,
  type SweepOptions,
  type SweepSpec,
  type SweepSummary,
  type SlurmOptions,
  type WorkloadSpec,
} from "./sweep/index.js";

// Data: any table (or the store) into arquero, and the feature recipes.
export {
  addRatio,
  applySimulatorRecipe,
  cacheRateDefinitions,
  cacheRates,
  costModelWeights,
  danfoInstallHint,
  DEFAULT_TARGET_CAP,
  detectPrefixes,
  divide,
  fromArrowBytes,
  fromDanfo,
  fromDelimitedText,
  fromJSONLines,
  fromJSONText,
  fromParquetBytes,
  fromRecords,
  fromStore,
  groupIndex,
  importDanfo,
  separateIsas,
  isNumericColumn,
  loadTable,
  logTransform,
  normaliseByGroup,
  numericColumn,
  rareEvents,
  ratio,
  recipeSources,
  requireColumn,
  simulatorFeatures,
  simulatorSources,
  tableFormats,
  toDanfo,
  wideTable,
  workEvents,
  type LoadOptions,
  type StoreOptions,
} from "./data/index.js";

// Predictors and their evaluation.
export {
  bestRankPercent,
  CartRegressor,
  createEstimator,
  crossValidate,
  cvSchemes,
  DecisionTreeRegressor,
  estimatorFromJSON,
  evaluatePredictions,
  evaluateTable,
  fitTable,
  GradientBoostingRegressor,
  kendallTauB,
  KnnRegressor,
  LinearRegression,
  mae,
  mape,
  metricsJSON,
  metricsTable,
  modelNames,
  pairwiseAccuracy,
  parseModelParams,
  r2,
  RandomForestRegressor,
  Ridge,
  rmse,
  spearman,
  targetTransforms,
  topKScore,
  XGBoostRegressor,
  type Estimator,
  type EstimatorJSON,
  type FitOptions,
  type FitResult,
  type GroupMetrics,
  type Metrics,
  type ModelName,
  type ModelParams,
  type OverallMetrics,
} from "./predict/index.js";
export { loadModel, predictWithModel, saveModel, type SavedModel } from "./predict/saved-model.js";

// Plots.
export {
  axis,
  baseLayout,
  bestRank,
  featureImportance,
  Figure,
  measurementCurve,
  measurementCurveTable,
  plotlyMimeType,
  predictedVsMeasured,
  residuals,
  saveFigure,
  scatter,
} from "./plot/index.js";

// Tuning: strategies, predictors, the per-shape tuning cache.
export {
  bestForShape,
  curveTable,
  fixedCostPredictor,
  loadPredictor,
  strategyNames,
  trainedPredictor,
  tune,
  tuneCurve,
  tuneCurveFigure,
  tuneSpace,
  type CurvePoint,
  type Predictor,
  type TuneOptions,
  type TuneResult,
} from "./tune/index.js";

// Display from notebook code (also globals in every cell).
export { clearOutput, display, html, image, latex, markdown, mimeBundle, RichOutput, svg, toMimeBundle, updateDisplay, type Displayable, type DisplayOptions } from "./display/index.js";

// The kernel's input history (what %history and history_request read).
export { HistoryStore, type HistoryEntry } from "./store/history.js";
export { formatHistory } from "./magics/history.js";
export { historyFile, jupyterDataDirs } from "./kernel/jupyter-paths.js";
