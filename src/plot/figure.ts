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

/** The plain look every simlab figure starts from (white background, light grid, closest-point hover). */
export function baseLayout(title: string, extra: PlotlyObject = {}): PlotlyObject {
  return {
    title: { text: title },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    hovermode: "closest",
    margin: { l: 70, r: 30, t: 60, b: 60 },
    font: { family: "Helvetica, Arial, sans-serif", size: 13 },
    ...extra,
  };
}

/** An axis with a title and a light grid; `log` for log scale. */
export function axis(title: string, options: { log?: boolean } & PlotlyObject = {}): PlotlyObject {
  const { log, ...rest } = options;
  return { title: { text: title }, type: log ? "log" : "linear", gridcolor: "#e5e5e5", zerolinecolor: "#bbbbbb", ...rest };
}
