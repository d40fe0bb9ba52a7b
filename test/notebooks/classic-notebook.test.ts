import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumFlags, chromiumPath } from "../../src/plot/browser.js";
import { runCommand, simlabMain } from "../notebook/cli-helpers.js";

// Debian's classic notebook server, with simlab installed into a private Jupyter data folder, driven by headless
// Chromium as a user would: the page's own Jupyter JavaScript runs the cells.
const dir = mkdtempSync(join(tmpdir(), "simlab-classic-"));
const notebooks = join(dir, "nb");
const token = "simlab-test-token";
const env = { JUPYTER_DATA_DIR: join(dir, "data"), JUPYTER_CONFIG_DIR: join(dir, "config"), JUPYTER_RUNTIME_DIR: join(dir, "runtime"), JUPYTER_PATH: "", HOME: dir };
let server: ChildProcess;
let base: string;
let browser: Browser;

const figureCell = (n: number) =>
  `import { predictedVsMeasured } from "simlab";\npredictedVsMeasured(Array.from({ length: ${n} }, (_, i) => ({ measured: i + 1, predicted: (i + 1) * (i % 2 ? 0.9 : 1.1) })))`;

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "simlab", display_name: "TypeScript (simlab)", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

before(async () => {
  mkdirSync(notebooks, { recursive: true });
  const installed = await runCommand([process.execPath, simlabMain, "install", "--user"], { env });
  assert.equal(installed.code, 0, installed.stderr);
  const port = await freePort();
  server = spawn("jupyter-notebook", ["--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, `--NotebookApp.token=${token}`, `--notebook-dir=${notebooks}`], {
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/status?token=${token}`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 300) throw new Error("the notebook server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumFlags], headless: true, timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM"); // the server shuts its kernels down
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    server.kill("SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
});

// Page-side code is passed as strings: this project compiles without the DOM library.
async function openNotebook(page: Page, name: string): Promise<void> {
  await page.goto(`${base}/notebooks/${name}?token=${token}`);
  await page.waitForFunction("window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", undefined, { timeout: 60_000 });
}

/** The drawn plotly figures of cell `index`: how many points each drew. */
async function drawnFigure(page: Page, index: number): Promise<number> {
  const selector = `.cell:nth-of-type(${index + 1}) .output_area .js-plotly-plot svg.main-svg path.point`;
  await page.waitForSelector(selector, { state: "attached", timeout: 60_000 });
  return page.$$eval(`.cell:nth-of-type(${index + 1}) .output_area .js-plotly-plot`, (plots) => plots.map((p) => p.querySelectorAll("path.point").length).reduce((a, b) => a + b, 0));
}

test("a figure draws in the classic notebook, and another after a page reload while the kernel runs", async () => {
  writeFileSync(join(notebooks, "live.ipynb"), notebook([figureCell(5), figureCell(7)]));
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  try {
    await openNotebook(page, "live.ipynb");
    const kernel = await page.evaluate("Jupyter.notebook.kernel.id");
    await page.evaluate("Jupyter.notebook.execute_cells([0])");
    assert.equal(await drawnFigure(page, 0), 5);

    await page.reload();
    await openNotebook(page, "live.ipynb");
    assert.equal(await page.evaluate("Jupyter.notebook.kernel.id"), kernel, "the same kernel, still running");
    await page.evaluate("Jupyter.notebook.execute_cells([1])");
    assert.equal(await drawnFigure(page, 1), 7, "the figure after the reload draws too");
  } finally {
    await page.close();
  }
});

test("an executed notebook opened untrusted shows every figure as its static image", async () => {
  const source = join(dir, "source.ipynb");
  writeFileSync(source, notebook([figureCell(4), "1 + 1", figureCell(6)]));
  const ran = await runCommand([process.execPath, simlabMain, "run", source, "-o", join(notebooks, "executed.ipynb")], { env, timeoutMs: 180_000 });
  assert.equal(ran.code, 0, ran.stderr);
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  try {
    await openNotebook(page, "executed.ipynb");
    assert.equal(await page.evaluate("Jupyter.notebook.trusted"), false, "a notebook this server never signed is untrusted");
    await page.waitForFunction("document.querySelectorAll('.output_area img').length >= 2", undefined, { timeout: 20_000 });
    const images = (await page.evaluate(
      "Promise.all([...document.querySelectorAll('.output_area img')].map((img) => img.decode().then(() => [img.naturalWidth, img.naturalHeight, img.getBoundingClientRect().height])))",
    )) as number[][];
    assert.equal(images.length, 2, "one image per figure");
    for (const [width, height, shown] of images) {
      assert.deepEqual([width, height], [800, 500]);
      assert.ok(shown! > 100, `the image is shown, ${shown} px high`);
    }
    assert.equal(await page.evaluate("document.querySelectorAll('.js-plotly-plot').length"), 0, "no script ran in the untrusted notebook");
  } finally {
    await page.close();
  }
});
