import { numericColumn, requireColumn } from "../data/columns.js";
import { axis, baseLayout, Figure } from "./figure.js";
import { findRecords } from "./inputs.js";

export interface FeatureImportanceOptions {
  title?: string;
  /** Show only the most important N features (default 20). */
  top?: number;
}

/** Horizontal bars of `{feature, importance}`, most important at the top. */
export function featureImportance(importances: unknown, options: FeatureImportanceOptions = {}): Figure {
  const table = findRecords(importances, ["importances", "featureImportances", "featureImportance"], "the feature importances");
  requireColumn(table, "feature");
  const features = table.array("feature") as ArrayLike<unknown>;
  const values = numericColumn(table, "importance");
  const order = Array.from(values.keys())
    .filter((i) => Number.isFinite(values[i]))
    .sort((a, b) => values[b]! - values[a]!)
    .slice(0, options.top ?? 20)
    .reverse(); // plotly draws the first bar at the bottom
  const trace = {
    type: "bar",
    orientation: "h",
    x: order.map((i) => values[i]),
    y: order.map((i) => String(features[i])),
    marker: { color: "#1f77b4" },
    hovertemplate: "%{y}: %{x:.3g}<extra></extra>",
  };
  const layout = baseLayout(options.title ?? "Feature importance", {
    xaxis: axis("importance"),
    yaxis: axis("", { type: "category", automargin: true }),
    height: Math.max(300, 60 + 24 * order.length),
    showlegend: false,
  });
  return new Figure([trace], layout, "feature importance", order.length);
}
