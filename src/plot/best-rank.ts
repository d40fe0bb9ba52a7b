import { numericColumn } from "../data/columns.js";
import { axis, baseLayout, Figure } from "./figure.js";
import { findRecords } from "./inputs.js";
import { rowsByGroup } from "./hover.js";

export interface BestRankOptions {
  title?: string;
  /** The threshold line, in % of the group (default 3: the DAC 2025 paper's "top 3 %"). */
  threshold?: number;
}

/**
 * Per group, the rank of the truly fastest variant in the predicted ranking as a % of the group
 * (bars; green within the threshold, red beyond), with a dashed line at the threshold.
 * Accepts `{group, bestRankPercent}` records or a table, %eval's metrics (`groups`), or a %fit result (`metrics.groups`).
 */
export function bestRank(metrics: unknown, options: BestRankOptions = {}): Figure {
  const table = findRecords(metrics, ["groups", "perGroup", "metrics.groups"], "the per-group metrics");
  const percent = numericColumn(table, "bestRankPercent");
  const threshold = options.threshold ?? 3;
  const byGroup = rowsByGroup(table);
  const groups = [...byGroup.keys()];
  const rows = [...byGroup.values()].map((r) => r[0]!); // one metrics row per group
  const within = rows.filter((i) => percent[i]! <= threshold).length;
  const trace = {
    type: "bar",
    name: "rank of the fastest",
    x: groups,
    y: rows.map((i) => percent[i]),
    marker: { color: rows.map((i) => (percent[i]! <= threshold ? "#2ca02c" : "#d62728")) },
    hovertemplate: "%{x}: the fastest variant ranks in the top %{y:.3g} %<extra></extra>",
  };
  const layout = baseLayout(options.title ?? `Rank of the truly fastest variant (${within} of ${groups.length} groups within ${threshold} %)`, {
    xaxis: axis("group", { type: "category", tickangle: groups.length > 4 ? -35 : 0 }),
    yaxis: axis("rank in the predicted order (% of group)", { rangemode: "tozero" }),
    shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: threshold, y1: threshold, line: { color: "#555555", dash: "dash", width: 1.5 } }],
    annotations: [{ xref: "paper", x: 1, y: threshold, text: `${threshold} %`, showarrow: false, xanchor: "right", yanchor: "bottom" }],
    showlegend: false,
  });
  return new Figure([trace], layout, `rank of the best per group, ${within} of ${groups.length} groups within ${threshold} %`, groups.length);
}
