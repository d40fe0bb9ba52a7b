import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FigureJSON } from "./figure-json.js";

/**
 * The `text/html` form of a figure. plotly.js (~4.8 MB) is never inlined into notebook outputs: the first
 * figure a page shows loads it once for the page — through the notebook's require.js when there is one
 * (classic notebook), else a <script> tag — from simlab's nbextension (`<base>/nbextensions/simlab/plotly.min.js`,
 * written by `simlab install`). So figures draw after a page reload or in a new tab while the kernel runs, and
 * an executed notebook stays small. Until plotly draws, and wherever it cannot (an untrusted notebook, whose
 * scripts never run; GitHub; no nbextension), the div shows the figure's static image when one is given.
 * `includePlotly: true` inlines the library instead, for standalone pages.
 */
let plotlySource: string | undefined;
let nextId = 0;

/** Where Jupyter serves simlab's copy of plotly.js from, below the page's base URL. */
export const PLOTLY_NBEXTENSION = "nbextensions/simlab/plotly.min.js";

export function plotlyPath(): string {
  return createRequire(import.meta.url).resolve("plotly.js-dist-min/plotly.min.js");
}

/** plotly.min.js's text, read once. */
export function plotlyScript(): string {
  plotlySource ??= readFileSync(plotlyPath(), "utf8");
  return plotlySource;
}

export interface FigureHtmlOptions {
  /** true: inline plotly.js (standalone pages); default: load it once per page from simlab's nbextension. */
  includePlotly?: boolean;
  /** A PNG of the figure (base64), shown until plotly draws and instead of it where scripts do not run. */
  pngBase64?: string;
}

export function figureHtml(figure: FigureJSON, options: FigureHtmlOptions = {}): string {
  const id = `simlab-plot-${process.pid}-${Date.now().toString(36)}-${nextId++}`;
  const library = options.includePlotly ? `<script type="text/javascript">${escapeScript(plotlyScript())}</script>\n` : "";
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 480;
  const fallback = options.pngBase64 ? `<img alt="figure" style="max-width:100%" src="data:image/png;base64,${options.pngBase64}">` : "";
  return `${library}<div id="${id}" class="simlab-plot" style="width:100%;min-height:${height}px;">${fallback}</div>
<script type="text/javascript">
(function () {
  var figure = ${escapeScript(JSON.stringify(figure))};
  var w = window;
  function el() { return document.getElementById("${id}"); }
  function draw(Plotly) {
    var div = el();
    if (!div) return;
    div.innerHTML = "";
    div.style.height = "${height}px";
    Plotly.newPlot(div, figure.data, figure.layout, figure.config);
  }
  function failed() {
    w.simlabPlotly = undefined;
    var div = el();
    if (div) div.setAttribute("data-plotly", "unavailable");
    if (div && !div.querySelector("img")) div.textContent = "plotly.js could not be loaded from ${PLOTLY_NBEXTENSION} (run: npx simlab install)";
  }
  if (w.Plotly) return draw(w.Plotly);
  if (!w.simlabPlotly) {
    var base = (document.body && document.body.getAttribute("data-base-url")) || "/";
    var url = base + "${PLOTLY_NBEXTENSION}";
    w.simlabPlotly = new Promise(function (resolve, reject) {
      if (typeof w.require === "function" && typeof w.require.config === "function") {
        w.require.config({ paths: { "simlab-plotly": url.replace(/\\.js$/, "") } });
        w.require(["simlab-plotly"], function (P) { w.Plotly = w.Plotly || P; resolve(w.Plotly); }, function (e) { w.require.undef("simlab-plotly"); reject(e); });
      } else {
        var s = document.createElement("script");
        s.src = url;
        s.onload = function () { w.Plotly ? resolve(w.Plotly) : reject(new Error("no Plotly")); };
        s.onerror = reject;
        document.head.appendChild(s);
      }
    });
  }
  w.simlabPlotly.then(draw, failed);
})();
</script>`;
}

/** Keeps text inside a <script> element from closing it early. */
function escapeScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
