import { numericColumn, requireColumn } from "../data/columns.js";
import { SimlabError } from "../core/errors.js";
import { axis, baseLayout, Figure, type PlotlyObject } from "./figure.js";
import { asTable, type TableLike } from "./inputs.js";
import { rowsByGroup } from "./hover.js";

export interface ScatterOptions {
  x: string;
  y: string;
  /** A column whose values split the points into coloured traces (e.g. "strategy" or "group"). */
  color?: string;
  /** "markers" (default), "lines" or "lines+markers"; lines are drawn in increasing x within each trace. */
  mode?: "markers" | "lines" | "lines+markers";
  logX?: boolean;
  logY?: boolean;
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/**
 * A generic scatter or line chart of two numeric columns, e.g. the "best runtime found vs number of
 * native measurements" curve: `scatter(curve, { x: "measurements", y: "best_runtime", color: "strategy",
 * mode: "lines+markers" })` with one trace for top-k predicted and one for random sampling.
 */
export function scatter(data: TableLike, options: ScatterOptions): Figure {
  const table = asTable(data, "the data");
  const mode = options.mode ?? "markers";
  if (!["markers", "lines", "lines+markers"].includes(mode)) throw new SimlabError(`unknown mode "${mode}"`, "use markers, lines or lines+markers");
  const x = numericColumn(table, options.x);
  const y = numericColumn(table, options.y);
  if (options.color !== undefined) requireColumn(table, options.color);
  const traces: PlotlyObject[] = [];
  let points = 0;
  for (const [name, rows] of rowsByGroup(table, options.color ?? "")) {
    const shown = rows.filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
    if (mode !== "markers") shown.sort((a, b) => x[a]! - x[b]!);
    points += shown.length;
    traces.push({
      type: "scatter",
      mode,
      name: options.color === undefined ? options.y : name,
      x: shown.map((i) => x[i]),
      y: shown.map((i) => y[i]),
      marker: { size: 7 },
      hovertemplate: `${options.x} %{x:.4g}<br>${options.y} %{y:.4g}<extra>%{fullData.name}</extra>`,
    });
  }
  const layout = baseLayout(options.title ?? `${options.y} vs ${options.x}`, {
    xaxis: axis(options.xTitle ?? options.x, { log: options.logX }),
    yaxis: axis(options.yTitle ?? options.y, { log: options.logY }),
    showlegend: options.color !== undefined,
    ...(options.color !== undefined ? { legend: { title: { text: options.color } } } : {}),
  });
  return new Figure(traces, layout, `${options.y} vs ${options.x}`, points);
}
