/**
 * The kernelspec (kernel.json + logos from `kernel/`) and where Jupyter looks for it, following
 * `jupyter --data-dir` / `jupyter --paths` without needing Python.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SimlabError } from "../core/errors.js";
import { searchedKernelsDirs, sysPrefix, userDataDir } from "./jupyter-paths.js";
import { simlabRoot } from "./modules.js";
import { PLOTLY_NBEXTENSION, plotlyPath } from "../plot/html.js";

export const DEFAULT_KERNEL_NAME = "simlab";
const LOGOS = ["logo-32x32.png", "logo-64x64.png"];

export type InstallScope = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

export function kernelsDir(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string {
  switch (scope.kind) {
    case "user":
      return join(userDataDir(env), "kernels");
    case "sys-prefix":
      return join(sysPrefix(env), "share", "jupyter", "kernels");
    case "prefix":
      return join(scope.dir, "share", "jupyter", "kernels");
  }
}

export function validateKernelName(name: string): string {
  if (!/^[a-z0-9._-]+$/i.test(name)) {
    throw new SimlabError(`invalid kernel name '${name}'`, "use letters, digits, '.', '_' and '-' only");
  }
  return name.toLowerCase();
}

/** kernel.json for this simlab: the running node binary starts simlab's CLI with `kernel -f`. */
export async function kernelJson(displayName?: string): Promise<Record<string, unknown>> {
  const template = await readFile(join(simlabRoot, "kernel", "kernel.json"), "utf8");
  const spec = JSON.parse(template) as { argv: string[]; display_name: string } & Record<string, unknown>;
  const main = join(simlabRoot, "dist", "src", "cli", "main.js");
  spec.argv = spec.argv.map((arg) => (arg === "{node}" ? process.execPath : arg === "{main}" ? main : arg));
  if (displayName) spec.display_name = displayName;
  return spec;
}

/** Writes the kernelspec; returns its directory. */
export async function installKernelspec(scope: InstallScope, name = DEFAULT_KERNEL_NAME, displayName?: string): Promise<string> {
  const dir = join(kernelsDir(scope), validateKernelName(name));
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "kernel.json"), `${JSON.stringify(await kernelJson(displayName), null, 2)}\n`);
    for (const logo of LOGOS) await copyFile(join(simlabRoot, "kernel", logo), join(dir, logo));
    // Figures load plotly.js from here once per page (see plot/html.ts); the notebook server serves nbextensions.
    const plotly = join(kernelsDir(scope), "..", PLOTLY_NBEXTENSION);
    await mkdir(dirname(plotly), { recursive: true });
    await copyFile(plotlyPath(), plotly);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      throw new SimlabError(`no permission to write ${dir}`, "use --user, or --prefix DIR, or run with the needed rights");
    }
    throw e;
  }
  return dir;
}

/** Removes the kernelspec from `scope`, or from the first searched directory holding it; returns what was removed. */
export async function uninstallKernelspec(name = DEFAULT_KERNEL_NAME, scope?: InstallScope): Promise<string> {
  const kernelName = validateKernelName(name);
  const candidates = scope ? [kernelsDir(scope)] : searchedKernelsDirs();
  const dir = candidates.map((base) => join(base, kernelName)).find((d) => existsSync(join(d, "kernel.json")));
  if (!dir) {
    throw new SimlabError(`no kernelspec '${kernelName}' found in ${candidates.join(", ")}`, "`jupyter kernelspec list` shows the installed kernels");
  }
  await rm(dir, { recursive: true, force: true });
  return dir;
}
