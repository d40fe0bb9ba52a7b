import { isSimlabError } from "../core/errors.js";
import type { MimeBundle } from "../display/types.js";
import { toImage } from "./export.js";
import { plotlyMimeType, type FigureJSON } from "./figure-json.js";
import { figureHtml } from "./html.js";

let unavailable: string | undefined;

/**
 * A figure's bundle with a static PNG added (`image/png`, and inside its `text/html` as the image shown until
 * plotly draws), rendered by the shared headless Chromium — started once per process, so a notebook pays its
 * start once. Other bundles, and bundles that already carry a PNG, come back unchanged. When Chromium cannot
 * be used, the bundle is returned as it is with `note` set, the first time only.
 */
export async function withStaticImage(bundle: MimeBundle): Promise<{ bundle: MimeBundle; note?: string }> {
  const figure = bundle[plotlyMimeType] as FigureJSON | undefined;
  if (!figure || typeof figure !== "object" || "image/png" in bundle || unavailable !== undefined) return { bundle };
  try {
    const png = (await toImage(figure, { format: "png" })).toString("base64");
    return { bundle: { ...bundle, "image/png": png, "text/html": figureHtml(figure, { pngBase64: png }) } };
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
    if (isSimlabError(e)) unavailable = why; // no Chromium or playwright: do not try again for every figure
    return { bundle, note: `simlab: ${isSimlabError(e) ? "figures carry" : "this figure carries"} no static image (${why}); it shows only where plotly.js runs\n` };
  }
}
