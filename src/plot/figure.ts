import { toMimeBundle, type Displayable, type MimeBundle } from "../display/types.js";
import { type FigureJSON, type PlotlyObject, plotlyMimeType } from "./figure-json.js";
import { figureHtml } from "./html.js";

export { type FigureJSON, type PlotlyObject, plotlyMimeType } from "./figure-json.js";


/**
 * A plotly figure `{data, layout, config}` that displays itself: the plotly MIME type (VS Code, JupyterLab
 * with its extension), an offline `text/html` fallback (see html.ts), and a one-line `text/plain` summary.
 */
export class Figure implements Displayable {
  readonly config: PlotlyObject;

  constructor(
    readonly data: PlotlyObject[],
    readonly layout: PlotlyObject,
    /** What the figure shows, e.g. "predicted vs measured" (used in the text summary). */
    readonly title: string,
    /** How many data points it draws, for the summary. */
    readonly points: number,
    config: PlotlyObject = {},
  ) {
    this.config = { responsive: true, displaylogo: false, ...config };
  }

  /** "Figure: predicted vs measured, 480 points". */
  summary(): string {
    return `Figure: ${this.title}, ${this.points} point${this.points === 1 ? "" : "s"}`;
  }

  toJSON(): FigureJSON {
    return { data: this.data, layout: this.layout, config: this.config };
  }

  toString(): string {
    return this.summary();
  }

  [toMimeBundle](): MimeBundle {
    return { [plotlyMimeType]: this.toJSON(), "text/html": figureHtml(this.toJSON()), "text/plain": this.summary() };
  }
}

/**
 * 20 colours that stay apart (plotly's default cycle has 10, so an 11th group repeats the first): the ten of
 * D3's category10, then ten darker or lighter ones of different hue.
 */
export const PALETTE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  "#393b79", "#e6550d", "#31a354", "#843c39", "#7b4173", "#fdd0a2", "#9edae5", "#637939", "#f7b6d2", "#000000",
];

/** The plain look every simlab figure starts from (white background, light grid, closest-point hover). */
export function baseLayout(title: string, extra: PlotlyObject = {}): PlotlyObject {
  return {
    title: { text: title },
    colorway: PALETTE,
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    hovermode: "closest",
    margin: { l: 70, r: 30, t: 60, b: 60 },
    font: { family: "Helvetica, Arial, sans-serif", size: 13 },
    ...extra,
  };
}

/**
 * An axis with a title and a light grid; `log` for log scale, labelled at 1, 2 and 5 of each decade only
 * (plotly's default labels every digit when the range is short, and they crowd). `automargin` grows the margin
 * to fit long tick labels, and the title stands off from them, so the two never overlap.
 */
export function axis(title: string, options: { log?: boolean } & PlotlyObject = {}): PlotlyObject {
  const { log, ...rest } = options;
  return {
    title: { text: title, standoff: 12 },
    type: log ? "log" : "linear",
    ...(log ? { dtick: "D2" } : {}),
    automargin: true,
    gridcolor: "#e5e5e5",
    zerolinecolor: "#bbbbbb",
    ...rest,
  };
}
