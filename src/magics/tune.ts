import { table } from "arquero";
import { toMimeBundle } from "../display/types.js";
import { tuneFromArgs, tuneOptions, tuneSummaryText } from "../tune/arguments.js";
import { tuneCurveFigure } from "../tune/curve.js";
import { tune, type TuneResult } from "../tune/tune.js";
import type { ParsedArgs } from "../args/types.js";
import { defineMagic, type MagicSpec } from "./types.js";

const tuneMagic = defineMagic({
  name: "tune",
  kind: "line",
  summary: "Tune one shape: simulate candidates, measure the predicted top k natively, show the winner and its curve",
  description: [
    "Examples:",
    '  %tune --workload gemm --space "M=64 N=64 K=64 order=ijk,ikj,kij tn=0,16 unroll=1,4" --budget 5 --db tune.db -> r',
    '  %tune --workload gemm --space "…" --strategy anneal --max-evals 8 --seed 1 --db tune.db --replay',
    "Shows the measured candidates (predicted order) and the best-found-vs-measurements curve (random sampling's",
    "expected curve too when the store has every candidate's native runtime). A shape tuned before returns from",
    "the tuning cache at once (--fresh tunes again). The result has .best, .speedup, .measurements, .curve, .cached.",
  ].join("\n"),
  options: tuneOptions,
  binds: 'import("simlab").TuneResult',
}, async (args, ctx): Promise<TuneResult> => {
    const result = await tune({ ...tuneFromArgs(args as ParsedArgs), signal: ctx.signal, display: ctx.display });
    ctx.stdout(`${tuneSummaryText(result)}\n`);
    if (result.curveNote && !result.cached) ctx.stdout(`note: ${result.curveNote}\n`);
    if (result.missing.length > 0) ctx.stdout(`replay: ${result.missing.length} point(s) not in the store\n`);
    ctx.display.display(summaryTable(result));
    ctx.display.display(tuneCurveFigure(result.curve, `${result.group}: best runtime found vs native measurements`));
    // Shown unbound as its one-line summary (the table and figure are above), bound as the full result.
    Object.defineProperty(result, toMimeBundle, { value: () => ({ "text/plain": tuneSummaryText(result) }), enumerable: false });
    return result;
});

/** The measured candidates in predicted order, the winner marked. */
function summaryTable(r: TuneResult) {
  const schedule = (k: Record<string, unknown>) => Object.entries(k).filter(([n]) => !(n in r.shape)).map(([n, v]) => `${n}=${v}`).join(" ");
  const rows = r.measurements;
  return table({
    rank: rows.map((_, i) => i + 1),
    schedule: rows.map((m) => schedule(m.knobs)),
    predicted: rows.map((m) => m.predicted),
    runtime_ms: rows.map((m) => (m.runtime_s === null ? NaN : m.runtime_s * 1e3)),
    status: rows.map((m) => m.status),
    best: rows.map((m) => (schedule(m.knobs) === schedule(r.best.knobs) ? "★" : "")),
  });
}

export const magics: readonly MagicSpec[] = [tuneMagic];
