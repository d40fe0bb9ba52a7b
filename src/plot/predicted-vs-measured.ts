import { numericColumn } from "../data/columns.js";
import { axis, baseLayout, Figure, type PlotlyObject } from "./figure.js";
import { findRecords, type TableLike } from "./inputs.js";
import { hoverLabels, rowsByGroup } from "./hover.js";

export interface PredictedVsMeasuredOptions {
  title?: string;
  /** Log axes (default true: runtimes span orders of magnitude). Non-positive values cannot be drawn then. */
  log?: boolean;
  /** Unit shown on the axes. Default "s". */
  unit?: string;
}

/**
 * Predicted vs measured runtime, one colour per group, the y = x line, and on hover each variant's
 * knobs (every column besides row, group, measured, predicted, fold).
 */
export function predictedVsMeasured(predictions: TableLike | { predictions: TableLike }, options: PredictedVsMeasuredOptions = {}): Figure {
  const table = findRecords(predictions, ["predictions"], "the predictions");
  const measured = numericColumn(table, "measured");
  const predicted = numericColumn(table, "predicted");
  const log = options.log ?? true;
  const unit = options.unit ?? "s";
  const drawable = (i: number): boolean => Number.isFinite(measured[i]) && Number.isFinite(predicted[i]) && (!log || (measured[i]! > 0 && predicted[i]! > 0));
  const labels = hoverLabels(table);
  const traces: PlotlyObject[] = [];
  let points = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [group, rows] of rowsByGroup(table)) {
    const shown = rows.filter(drawable);
    points += shown.length;
    for (const i of shown) {
      lo = Math.min(lo, measured[i]!, predicted[i]!);
      hi = Math.max(hi, measured[i]!, predicted[i]!);
    }
    traces.push({
      type: "scatter",
      mode: "markers",
      name: group,
      x: shown.map((i) => measured[i]),
      y: shown.map((i) => predicted[i]),
      text: shown.map((i) => labels[i]),
      hovertemplate: `%{text}<br>measured %{x:.4g} ${unit}<br>predicted %{y:.4g} ${unit}<extra>%{fullData.name}</extra>`,
      marker: { size: 7, opacity: 0.8 },
    });
  }
  if (points > 0) traces.push(identityLine(lo, hi));
  const hidden = table.numRows() - points;
  const note = hidden > 0 ? ` (${hidden} not drawn: ${log ? "non-positive or " : ""}missing)` : "";
  const layout = baseLayout(options.title ?? "Predicted vs measured runtime", {
    xaxis: axis(`measured runtime (${unit})`, { log }),
    yaxis: axis(`predicted runtime (${unit})`, { log }),
    legend: { title: { text: "group" } },
  });
  return new Figure(traces, layout, `predicted vs measured${note}`, points);
}

function identityLine(lo: number, hi: number): PlotlyObject {
  return { type: "scatter", mode: "lines", name: "y = x", x: [lo, hi], y: [lo, hi], line: { color: "#555555", dash: "dash", width: 1 }, hoverinfo: "skip" };
}

