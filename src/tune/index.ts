/** Tuning: strategies pick candidates to simulate, a predictor ranks them, the top k are measured; a per-shape cache keeps winners. */
export { tune, type TuneOptions, type TuneResult, type TuneCandidate, type TuneMeasurement } from "./tune.js";
export { tuneSpace, type TuneSpace } from "./space.js";
export { fixedCostPredictor, type Predictor } from "./predictor.js";
export { modelPredictor, loadPredictor, trainedPredictor } from "./model-predictor.js";
export { SearchContext, type Strategy, type Evaluated } from "./search.js";
export { strategies, strategyNames, strategyFor } from "./strategies/index.js";
export { tuneCurve, tuneCurveFigure, curveTable, expectedRandomBest, type CurvePoint } from "./curve.js";
export { bestForShape } from "./best.js";
export { proposeLoop, type ProposeOptions, type ProposeResult } from "./propose-loop.js";
export type { Proposer, ProposerInput, Feedback } from "./proposer.js";
export { menuProposer } from "./menu-proposer.js";
export { commandProposer } from "./command-proposer.js";
