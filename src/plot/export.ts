import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { SimlabError } from "../core/errors.js";
import { plotlyPage } from "./browser.js";
import type { Figure, FigureJSON } from "./figure.js";

export type ImageFormat = "png" | "svg";

export interface ImageOptions {
  format?: ImageFormat;
  /** Pixels (CSS). Default: the layout's width/height, else 800 × 500. */
  width?: number;
  height?: number;
  /** Device pixel ratio for PNG (2 for print). Default 1. */
  scale?: number;
}

/**
 * Renders a figure to PNG or SVG bytes with plotly.js's own `Plotly.toImage` in headless Chromium
 * (playwright-core + Debian's chromium; one browser per process, see browser.ts).
 */
export async function toImage(figure: Figure | FigureJSON, options: ImageOptions = {}): Promise<Buffer> {
  const format = options.format ?? "png";
  if (format !== "png" && format !== "svg") throw new SimlabError(`unknown image format "${String(format)}"`, "use png or svg");
  const spec = "toJSON" in figure && typeof figure.toJSON === "function" ? figure.toJSON() : (figure as FigureJSON);
  const width = options.width ?? numberOr(spec.layout.width, 800);
  const height = options.height ?? numberOr(spec.layout.height, 500);
  const scale = options.scale ?? 1;
  for (const [name, v] of Object.entries({ width, height, scale })) {
    if (!(v > 0) || !Number.isFinite(v)) throw new SimlabError(`image ${name} must be a positive number, not ${v}`, "e.g. width 800, height 500, scale 2");
  }
  const page = await plotlyPage();
  const url = await page.evaluate(
    async ({ spec, options }) => {
      const plotly = (globalThis as unknown as { Plotly: { toImage(fig: unknown, opts: unknown): Promise<string> } }).Plotly;
      return plotly.toImage({ data: spec.data, layout: spec.layout, config: { ...spec.config, responsive: false } }, options);
    },
    { spec, options: { format, width, height, scale } },
  );
  return decodeDataUrl(url);
}

/** Writes the figure as PNG or SVG: `options.format`, else the file's extension (.png / .svg). */
export async function saveFigure(figure: Figure | FigureJSON, path: string, options: ImageOptions = {}): Promise<void> {
  const ext = extname(path).toLowerCase().slice(1);
  const format = options.format ?? (ext === "png" || ext === "svg" ? ext : undefined);
  if (!format) throw new SimlabError(`cannot tell the image format of "${path}"`, "name the file .png or .svg");
  await writeFile(path, await toImage(figure, { ...options, format }));
}

function numberOr(v: unknown, fallback: number): number {
  return typeof v === "number" ? v : fallback;
}

function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(",");
  const header = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return header.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
}
