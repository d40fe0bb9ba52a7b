import { toMimeBundle, type MimeBundle } from "../display/types.js";
import { type Metrics, metricsJSON, metricsTable } from "./evaluation/evaluate.js";
import type { FitResult } from "./fit-table.js";
import { escapeHtml } from "../display/escape-html.js";

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");

/** One line: the headline numbers of a metrics object. */
export function metricsSummary(m: Metrics): string {
  const o = m.overall;
  return `R² ${fmt(o.r2)}, MAPE ${fmt(o.mape, 1)} %, Spearman ${fmt(o.spearman)}, Kendall ${fmt(o.kendall)}, best variant at ${fmt(o.bestRankPercent, 1)} % of its group on average (worst ${fmt(o.worstBestRankPercent, 1)} %), top-1 ${fmt(o.top1)}, top-5 ${fmt(o.top5)}`;
}

/** Text (markdown) and HTML forms of the metrics table. */
function metricsBundle(m: Metrics, heading: string): MimeBundle {
  const t = metricsTable(m);
  return {
    "text/plain": `${heading}\n${t.toMarkdown({ limit: Infinity })}`,
    "text/html": `<p>${escapeHtml(heading)}</p>${t.toHTML({ limit: Infinity })}`,
    "application/json": JSON.parse(metricsJSON(m)) as unknown,
  };
}

/** Makes a metrics object display as a table in the notebook (the method is not enumerable: JSON is unchanged). */
export function displayableMetrics<T extends Metrics>(m: T): T {
  Object.defineProperty(m, toMimeBundle, { value: () => metricsBundle(m, metricsSummary(m)), enumerable: false });
  return m;
}

/** One line describing a fit. */
export function fitSummary(r: FitResult): string {
  return `${r.model.name} on ${r.features.length} features → ${r.target} (${r.targetTransform}), ${r.cv} CV with ${r.folds} folds, ${r.metrics.overall.n} rows`;
}

/** Makes a fit result display as its summary and metrics table. */
export function displayableFit<T extends FitResult>(r: T): T {
  Object.defineProperty(r, toMimeBundle, { value: () => metricsBundle(r.metrics, `${fitSummary(r)}\n${metricsSummary(r.metrics)}`), enumerable: false });
  return r;
}


/**
 * Per group, where the truly fastest variant lands (% of the group) and the top-5 score, for the model and each
 * baseline side by side, then the mean and worst rows: every evaluation shows what it has to beat.
 */
export function rankingComparison(model: string, m: Metrics, baselines: readonly { name: string; metrics: Metrics }[]): string {
  const columns = [{ name: model, metrics: m }, ...baselines];
  const width = Math.max(5, ...m.groups.map((g) => g.group.length));
  const cell = (s: string) => s.padStart(Math.max(16, ...columns.map((c) => c.name.length + 2)));
  const lines = ["best variant's rank, % of its group / top-5 score", "group".padEnd(width) + columns.map((c) => cell(c.name)).join("")];
  for (const g of m.groups) {
    lines.push(g.group.padEnd(width) + columns.map((c) => {
      const r = c.metrics.groups.find((x) => x.group === g.group);
      return cell(r ? `${fmt(r.bestRankPercent, 2)} / ${fmt(r.top5)}` : "n/a");
    }).join(""));
  }
  lines.push("mean".padEnd(width) + columns.map((c) => cell(`${fmt(c.metrics.overall.bestRankPercent, 2)} / ${fmt(c.metrics.overall.top5)}`)).join(""));
  lines.push("worst".padEnd(width) + columns.map((c) => cell(`${fmt(c.metrics.overall.worstBestRankPercent, 2)} / ${fmt(Math.min(...c.metrics.groups.map((x) => x.top5)))}`)).join(""));
  return lines.join("\n");
}
