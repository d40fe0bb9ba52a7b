import { numericColumn } from "../data/columns.js";
import { divide } from "../data/features/divide.js";
import { axis, baseLayout, Figure, type PlotlyObject } from "./figure.js";
import { findRecords, type TableLike } from "./inputs.js";
import { hoverLabels, rowsByGroup } from "./hover.js";

export interface ResidualsOptions {
  title?: string;
  /** Relative error in % of measured (default), or absolute predicted − measured. */
  relative?: boolean;
  unit?: string;
}

/** Residuals against measured runtime (log x axis), one colour per group, with the zero line. */
export function residuals(predictions: TableLike | { predictions: TableLike }, options: ResidualsOptions = {}): Figure {
  const table = findRecords(predictions, ["predictions"], "the predictions");
  const measured = numericColumn(table, "measured");
  const predicted = numericColumn(table, "predicted");
  const relative = options.relative ?? true;
  const unit = options.unit ?? "s";
  const residual = measured.map((m, i) => (relative ? 100 * divide(predicted[i]! - m, m) : predicted[i]! - m));
  const labels = hoverLabels(table);
  const traces: PlotlyObject[] = [];
  let points = 0;
  for (const [group, rows] of rowsByGroup(table)) {
    const shown = rows.filter((i) => measured[i]! > 0 && Number.isFinite(residual[i]));
    points += shown.length;
    traces.push({
      type: "scatter",
      mode: "markers",
      name: group,
      x: shown.map((i) => measured[i]),
      y: shown.map((i) => residual[i]),
      text: shown.map((i) => labels[i]),
      hovertemplate: `%{text}<br>measured %{x:.4g} ${unit}<br>residual %{y:.3g}${relative ? " %" : ` ${unit}`}<extra>%{fullData.name}</extra>`,
      marker: { size: 7, opacity: 0.8 },
    });
  }
  const layout = baseLayout(options.title ?? (relative ? "Relative prediction error" : "Residuals"), {
    xaxis: axis(`measured runtime (${unit})`, { log: true }),
    yaxis: axis(relative ? "(predicted − measured) / measured (%)" : `predicted − measured (${unit})`, { zeroline: true, zerolinewidth: 2 }),
    legend: { title: { text: "group" } },
  });
  return new Figure(traces, layout, relative ? "relative residuals" : "residuals", points);
}
