import { existsSync } from "node:fs";
import { loadTable } from "../data/load-table.js";
import { SimlabError } from "../core/errors.js";
import { bestRank } from "../plot/best-rank.js";
import { saveFigure } from "../plot/export.js";
import { featureImportance } from "../plot/feature-importance.js";
import type { Figure } from "../plot/figure.js";
import { predictedVsMeasured } from "../plot/predicted-vs-measured.js";
import { residuals } from "../plot/residuals.js";
import { measurementCurve } from "../plot/measurement-curve.js";
import { scatter } from "../plot/scatter.js";
import { closest } from "../core/suggest.js";
import type { ArgsOf } from "../args/typed.js";
import { defineMagic, type MagicSpec } from "./types.js";

type PlotKind = "pred" | "residuals" | "rank" | "importance" | "curve" | "scatter" | "line";

type PlotArgs = ArgsOf<typeof plotSpec>;

const kinds: Record<PlotKind, (data: unknown, args: PlotArgs) => Figure> = {
  pred: (data, a) => predictedVsMeasured(data as never, { title: a.title }),
  residuals: (data, a) => residuals(data as never, { title: a.title }),
  rank: (data, a) => bestRank(data, { title: a.title, threshold: a.threshold }),
  importance: (data, a) => featureImportance(data, { title: a.title, top: a.top }),
  curve: (data, a) => measurementCurve(data as never, { title: a.title, maxMeasurements: a.maxMeasurements }),
  scatter: (data, a) => scatter(data as never, xy(a, "markers")),
  line: (data, a) => scatter(data as never, xy(a, "lines+markers")),
};

function xy(a: PlotArgs, mode: "markers" | "lines+markers"): Parameters<typeof scatter>[1] {
  if (a.x === undefined || a.y === undefined) throw new SimlabError(`%plot ${a.kind} needs --x and --y`, "e.g. %plot line curve --x measurements --y best_runtime --color strategy");
  return { x: a.x, y: a.y, color: a.color, mode, logX: a.logX, logY: a.logY, title: a.title };
}

function kindOf(word: string): PlotKind {
  if (word in kinds) return word as PlotKind;
  const near = closest(word, Object.keys(kinds));
  throw new SimlabError(`unknown plot kind "${word}"`, `${near ? `did you mean ${near}? ` : ""}kinds: ${Object.keys(kinds).join(", ")}`);
}

/** DATA is a notebook variable (or expression); a name of an existing data file is loaded instead. */
async function resolveData(data: string, runCode: (code: string) => Promise<unknown>): Promise<unknown> {
  if (/[./]/.test(data) && existsSync(data)) return loadTable(data);
  try {
    return await runCode(data);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new SimlabError(`%plot: cannot read "${data}": ${message}`, "DATA is a notebook variable, e.g. one bound with `%fit … -> pred`, or a data file");
  }
}

const plotSpec = {
  name: "plot",
  kind: "line",
  summary: "Plot predictions, residuals, per-group rank of the best, feature importance, or any two columns",
  description: [
    "Kinds:",
    "  pred        predicted vs measured (log axes, y = x line, colour by group, knobs on hover)",
    "  residuals   relative error vs measured",
    "  rank        per group, the rank of the truly fastest variant in % (line at --threshold, default 3 %)",
    "  importance  feature importance, horizontal bars (--top N)",
    "  curve       true best / best found vs native measurements per group: top-k predicted vs random",
    "  scatter     --x COL --y COL [--color COL]      line: the same, joined in x order",
    "Examples:",
    "  %plot pred pred -> fig",
    "  %plot rank metrics --png rank.png",
    "  %plot line curve --x measurements --y best_runtime --color strategy --log-y --svg curve.svg",
  ].join("\n"),
  positionals: [
    { name: "kind", type: "string", help: `one of ${Object.keys(kinds).join(", ")}`, required: true },
    { name: "data", type: "string", help: "a notebook variable (table, records, fit/eval result) or a data file", required: true },
  ],
  options: [
    { name: "x", type: "string", help: "scatter/line: the x column" },
    { name: "y", type: "string", help: "scatter/line: the y column" },
    { name: "color", type: "string", help: "scatter/line: the column that splits traces" },
    { name: "log-x", type: "boolean", help: "scatter/line: log x axis", default: false },
    { name: "log-y", type: "boolean", help: "scatter/line: log y axis", default: false },
    { name: "title", type: "string", help: "the figure's title" },
    { name: "threshold", type: "number", help: "rank: the threshold line in %", default: 3 },
    { name: "top", type: "integer", help: "importance: how many features", default: 20 },
    { name: "max-measurements", type: "integer", help: "curve: the largest number of measurements per group" },
    { name: "png", type: "string", help: "also save as PNG to this file (headless Chromium)" },
    { name: "svg", type: "string", help: "also save as SVG to this file (headless Chromium)" },
    { name: "width", type: "integer", help: "PNG/SVG width in pixels", default: 800 },
    { name: "height", type: "integer", help: "PNG/SVG height in pixels", default: 500 },
    { name: "scale", type: "number", help: "PNG pixel ratio (2 for print)", default: 1 },
  ],
  binds: 'import("simlab").Figure',
} as const satisfies Omit<MagicSpec, "run">;

export const magics: readonly MagicSpec[] = [
  defineMagic(plotSpec, async (args, ctx) => {
    const figure = kinds[kindOf(args.kind)](await resolveData(args.data, ctx.runCode), args);
    const size = { width: args.width, height: args.height, scale: args.scale };
    for (const format of ["png", "svg"] as const) {
      const file = args[format];
      if (file === undefined) continue;
      await saveFigure(figure, file, { ...size, format });
      ctx.stdout(`saved ${file}\n`);
    }
    return figure;
  }),
];
