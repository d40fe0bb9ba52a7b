import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { toMimeBundle } from "../../src/display/types.js";
import { predictedVsMeasured, featureImportance, toImage, saveFigure, closeBrowser, sharedBrowserContext, figureHtml, withStaticImage } from "../../src/plot/index.js";
import { magics } from "../../src/magics/plot.js";
import { rejectsSimlab, scratch } from "../data/fixtures.js";
import { predictionRows } from "./data.js";
import { colouredFraction } from "./pixels.js";

// Real headless Chromium (Debian's /usr/bin/chromium) through playwright-core: one browser for this file.
after(() => closeBrowser());
const tmp = scratch();

function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  assert.equal(png.subarray(12, 16).toString("latin1"), "IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test("a missing Chromium is a SimlabError with a hint", async () => {
  process.env.SIMLAB_CHROMIUM = "/nonexistent/chromium";
  try {
    await rejectsSimlab(() => toImage(predictedVsMeasured(predictionRows())), /no Chromium at \/nonexistent\/chromium/, /apt-get install chromium/);
  } finally {
    delete process.env.SIMLAB_CHROMIUM;
  }
});

test("PNG export: signature and requested size × scale", async () => {
  const png = await toImage(predictedVsMeasured(predictionRows()), { format: "png", width: 640, height: 400, scale: 2 });
  assert.deepEqual(pngSize(png), { width: 1280, height: 800 });
  assert.ok(png.length > 10_000, `a real plot, not an empty image (${png.length} bytes)`);
});

test("SVG export contains every plotted point; saveFigure picks the format from the extension", async () => {
  const fig = predictedVsMeasured(predictionRows());
  const svg = (await toImage(fig, { format: "svg" })).toString("utf8");
  assert.match(svg, /^<svg/);
  assert.equal(svg.match(/<path class="point"/g)?.length, 24);
  const path = `${tmp.dir}/importance.png`;
  await saveFigure(featureImportance([{ feature: "D1mr", importance: 0.6 }, { feature: "Ir", importance: 0.4 }]), path);
  assert.deepEqual(pngSize(readFileSync(path)), { width: 800, height: 300 });
  await rejectsSimlab(() => saveFigure(fig, `${tmp.dir}/fig.jpg`), /cannot tell the image format/, /\.png or \.svg/);
});

test("%plot --png and --svg save files through the shared browser", async () => {
  const plot = magics.find((m) => m.name === "plot")!;
  const out: string[] = [];
  const ctx = { signal: new AbortController().signal, display: { display() {}, update() {} }, stdout: (t: string) => out.push(t), stderr() {}, runCode: async () => predictionRows() };
  const png = `${tmp.dir}/pred.png`;
  const svg = `${tmp.dir}/pred.svg`;
  await plot.run({ kind: "pred", data: "pred", png, svg, width: 500, height: 400, scale: 1, threshold: 3, top: 20, logX: false, logY: false }, ctx);
  assert.deepEqual(pngSize(readFileSync(png)), { width: 500, height: 400 });
  assert.equal(readFileSync(svg, "utf8").match(/<path class="point"/g)?.length, 24);
  assert.deepEqual(out, [`saved ${png}\n`, `saved ${svg}\n`]);
});

test("the text/html form draws offline after an inlined library, and a figure that cannot load plotly.js keeps its static image", async () => {
  const rows = predictionRows();
  const first = figureHtml(predictedVsMeasured(rows).toJSON(), { includePlotly: true });
  const second = predictedVsMeasured(rows.slice(0, 8))[toMimeBundle]()["text/html"] as string;
  const path = tmp.file("report.html", `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${first}\n${second}</body></html>`);
  const withImage = (await withStaticImage(predictedVsMeasured(rows.slice(0, 5))[toMimeBundle]())).bundle;
  assert.deepEqual(pngSize(Buffer.from(withImage["image/png"] as string, "base64")), { width: 800, height: 500 });
  const alone = tmp.file("alone.html", `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${withImage["text/html"] as string}</body></html>`);
  const page = await (await sharedBrowserContext()).newPage();
  try {
    const network: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") && !url.includes("nbextensions")) return route.continue();
      network.push(url);
      return route.abort();
    });
    await page.setViewportSize({ width: 900, height: 1100 });
    await page.goto(`file://${path}`);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(".simlab-plot .main-svg").length >= 2, undefined, { timeout: 20_000 });
    const points = await page.$$eval(".simlab-plot", (plots) => plots.map((p) => p.querySelectorAll("path.point").length));
    assert.deepEqual(points, [24, 8]);
    assert.deepEqual(network, [], "no network requests: the second figure used the page's plotly.js");
    const shot = await page.screenshot({ type: "png" });
    const coloured = await colouredFraction(page, shot, 200);
    assert.ok(coloured > 0.005, `the screenshot is not blank (${(coloured * 100).toFixed(2)} % coloured pixels)`);

    await page.goto(`file://${alone}`);
    await page.waitForSelector('.simlab-plot[data-plotly="unavailable"]', { state: "attached", timeout: 20_000 });
    assert.equal(network.length, 1, "it asked for simlab's nbextension once");
    assert.match(network[0]!, /nbextensions\/simlab\/plotly\.min\.js$/);
    const image = await page.$eval(".simlab-plot img", (img) => [(img as unknown as { naturalWidth: number }).naturalWidth, (img as unknown as { naturalHeight: number }).naturalHeight]);
    assert.deepEqual(image, [800, 500], "the static image stays in place of the interactive figure");
  } finally {
    await page.close();
  }
});
