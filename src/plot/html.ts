import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FigureJSON } from "./figure-json.js";

/**
 * The offline `text/html` fallback of a figure. It must render with no network, so plotly.js
 * (plotly.js-dist-min, ~4.8 MB) is inlined — but only into the FIRST figure shown by this process; later
 * figures' HTML polls for `window.Plotly` (defined once the first output's script ran) and draws then.
 *
 * Trade-off: notebooks stay small (one copy of the library, not one per figure), but the figures depend on
 * the first one's output: if that output is cleared or a later figure is viewed alone (e.g. one output
 * copied elsewhere), the later ones cannot draw and say so after 10 s. `resetPlotlyInclusion()` (or a
 * kernel restart) makes the next figure carry the library again; `figureHtml(fig, { includePlotly: true })`
 * always inlines it (standalone pages, reports).
 */
let plotlyIncluded = false;
let plotlySource: string | undefined;
let nextId = 0;

export function plotlyPath(): string {
  return createRequire(import.meta.url).resolve("plotly.js-dist-min/plotly.min.js");
}

/** plotly.min.js's text, read once. */
export function plotlyScript(): string {
  plotlySource ??= readFileSync(plotlyPath(), "utf8");
  return plotlySource;
}

/** Makes the next figure's HTML inline plotly.js again. */
export function resetPlotlyInclusion(): void {
  plotlyIncluded = false;
}

export interface FigureHtmlOptions {
  /** true: always inline plotly.js; false: never; default: only the first figure of the process. */
  includePlotly?: boolean;
}

export function figureHtml(figure: FigureJSON, options: FigureHtmlOptions = {}): string {
  const include = options.includePlotly ?? !plotlyIncluded;
  if (include && options.includePlotly === undefined) plotlyIncluded = true;
  const id = `simlab-plot-${process.pid}-${Date.now().toString(36)}-${nextId++}`;
  const library = include ? `<script type="text/javascript">${escapeScript(plotlyScript())}</script>\n` : "";
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 480;
  return `${library}<div id="${id}" class="simlab-plot" style="width:100%;height:${height}px;"></div>
<script type="text/javascript">
(function () {
  var figure = ${escapeScript(JSON.stringify(figure))};
  var started = Date.now();
  function draw() {
    var el = document.getElementById("${id}");
    if (window.Plotly && el) { window.Plotly.newPlot(el, figure.data, figure.layout, figure.config); return; }
    if (Date.now() - started > 10000) {
      if (el) el.textContent = "plotly.js was not loaded: it is inlined in this session's first figure; re-run this cell after resetPlotlyInclusion() from simlab to inline it here.";
      return;
    }
    setTimeout(draw, 50);
  }
  draw();
})();
</script>`;
}

/** Keeps text inside a <script> element from closing it early. */
function escapeScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
