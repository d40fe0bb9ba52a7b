import { toMimeBundle, type MimeBundle } from "../display/types.js";
import { type Metrics, metricsJSON, metricsTable } from "./evaluate.js";
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

