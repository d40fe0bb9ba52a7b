import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { SimlabError } from "../core/errors.js";
import { plotlyPath } from "./html.js";

/** The flags measured to work with Debian's chromium here (no network, no background services). */
export const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
] as const;

/** The Chromium to drive: $SIMLAB_CHROMIUM, else $CHROME_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.SIMLAB_CHROMIUM || process.env.CHROME_PATH || "/usr/bin/chromium";
}

interface Session {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
}

/** ONE browser per process, started on first use (~2 s), reused by every export, closed on exit. */
let session: Promise<Session> | undefined;
let userDataDirs: string[] = [];

process.once("exit", () => {
  // playwright kills the browser it launched on exit; the profile folder is ours to remove
  for (const dir of userDataDirs) rmSync(dir, { recursive: true, force: true });
});

async function importPlaywright(): Promise<typeof import("playwright-core")> {
  try {
    return await import("playwright-core");
  } catch {
    throw new SimlabError("static figure export needs playwright-core, which is not installed", "npm install playwright-core (an optional dependency of simlab), and apt-get install chromium");
  }
}

async function start(): Promise<Session> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new SimlabError(`no Chromium at ${executablePath} for static figure export`, "apt-get install chromium, or set SIMLAB_CHROMIUM (or CHROME_PATH) to a Chromium/Chrome binary");
  }
  const { chromium } = await importPlaywright();
  const userDataDir = mkdtempSync(join(tmpdir(), "simlab-chromium-"));
  userDataDirs.push(userDataDir);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: [...chromiumFlags], timeout: 30_000 });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    userDataDirs = userDataDirs.filter((d) => d !== userDataDir);
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new SimlabError(`Chromium (${executablePath}) did not start: ${first}`, "check that it runs: chromium --headless --no-sandbox --dump-dom about:blank");
  }
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setContent("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>");
  await page.addScriptTag({ path: plotlyPath() });
  return { context, page, userDataDir };
}

function shared(): Promise<Session> {
  session ??= start().catch((e: unknown) => {
    session = undefined; // let a later call try again (e.g. after installing Chromium)
    throw e;
  });
  return session;
}

/** The shared page with plotly.js loaded; starts the browser on first use. */
export async function plotlyPage(): Promise<Page> {
  return (await shared()).page;
}

/** The shared browser's context, for opening other pages (e.g. checking an HTML report renders). */
export async function sharedBrowserContext(): Promise<BrowserContext> {
  return (await shared()).context;
}

/** Closes the shared browser (the next export starts a new one). Scripts call this to exit promptly. */
export async function closeBrowser(): Promise<void> {
  const current = session;
  session = undefined;
  if (!current) return;
  const s = await current.catch(() => undefined);
  if (!s) return;
  await s.context.close();
  rmSync(s.userDataDir, { recursive: true, force: true });
  userDataDirs = userDataDirs.filter((d) => d !== s.userDataDir);
}
