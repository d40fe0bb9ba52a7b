import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { chromiumFlags, chromiumPath } from "../../src/plot/browser.js";

export interface RenderedReport {
  /** Every request that was not a local file (all aborted): an offline report makes none. */
  blockedRequests: string[];
  /** Per plotly container, in page order: whether plotly drew its SVG, and how many data points (markers, bars) it drew. */
  figures: { id: string; svg: boolean; points: number }[];
  /** Share of the screenshot's pixels that are not (near) white. */
  nonWhiteFraction: number;
}

/**
 * Opens an HTML report of `simlab run --html` in headless Chromium (Debian's, the flags simlab's figure export
 * uses) with the network blocked, waits until plotly drew `expectedFigures` plots (each with points), reads the drawn SVG and takes a
 * full-page screenshot (written to `screenshot`) whose pixels are counted in the page's own canvas.
 */
export async function renderReport(report: string, screenshot: string, expectedFigures: number): Promise<RenderedReport> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumFlags], headless: true, timeout: 30_000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const blockedRequests: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      blockedRequests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(report).href, { waitUntil: "load", timeout: 30_000 });
    // Page-side code as strings: this project compiles without the DOM library.
    await page.waitForFunction(
      `(() => {
        const plots = [...document.querySelectorAll(".js-plotly-plot")];
        return plots.length >= ${expectedFigures} && plots.every((p) => p.querySelector("svg.main-svg .point") !== null);
      })()`,
      undefined,
      { timeout: 20_000 },
    );
    const figures = await page.evaluate<RenderedReport["figures"]>(`
      [...document.querySelectorAll(".js-plotly-plot")].map((c) => ({
        id: c.id,
        svg: c.querySelector("svg.main-svg") !== null,
        points: c.querySelectorAll(".scatterlayer path.point, .barlayer g.point").length,
      }))`);
    writeFileSync(screenshot, await page.screenshot({ fullPage: true }));
    const nonWhiteFraction = await countNonWhite(page, readFileSync(screenshot));
    return { blockedRequests, figures, nonWhiteFraction };
  } finally {
    await browser.close();
  }
}

/** Decodes the PNG in the page (an <img> drawn on a canvas) and counts pixels darker than near-white. */
async function countNonWhite(page: import("playwright-core").Page, png: Buffer): Promise<number> {
  return page.evaluate<number>(`(async () => {
    const img = new Image();
    img.src = "data:image/png;base64,${png.toString("base64")}";
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235) dark++;
    return dark / (data.length / 4);
  })()`);
}
