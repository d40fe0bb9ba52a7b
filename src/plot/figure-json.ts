/** The plain-JSON form of a plotly figure, as carried by the plotly MIME type. */

/** A plotly trace or layout: plain JSON values (plotly's own schema). */
export type PlotlyObject = Record<string, unknown>;

export interface FigureJSON {
  data: PlotlyObject[];
  layout: PlotlyObject;
  config: PlotlyObject;
}

export const plotlyMimeType = "application/vnd.plotly.v1+json";
