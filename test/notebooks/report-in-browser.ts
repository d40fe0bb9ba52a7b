import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { chromiumFlags, chromiumPath } from "../../src/plot/browser.js";
import { colouredFraction } from "../plot/pixels.js";

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
    const nonWhiteFraction = await colouredFraction(page, readFileSync(screenshot), 235);
    return { blockedRequests, figures, nonWhiteFraction };
  } finally {
    await browser.close();
  }
}
