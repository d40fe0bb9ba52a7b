import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SimlabError } from "../core/errors.js";
import { jupyterDataDirs } from "../kernel/jupyter-paths.js";
import type { KernelLaunch } from "./client.js";

interface KernelJson {
  argv?: unknown;
  env?: unknown;
  interrupt_mode?: unknown;
}

/** The launch command of an installed kernelspec, found by name like `jupyter kernelspec` does. */
export async function installedKernelLaunch(name: string, env: NodeJS.ProcessEnv = process.env): Promise<KernelLaunch> {
  const dirs = jupyterDataDirs(env);
  for (const dir of dirs) {
    const file = join(dir, "kernels", name, "kernel.json");
    let spec: KernelJson;
    try {
      spec = JSON.parse(await readFile(file, "utf8")) as KernelJson;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new SimlabError(`cannot read kernelspec ${file}: ${(e as Error).message}`, "reinstall it with simlab install");
    }
    if (!Array.isArray(spec.argv) || spec.argv.length === 0 || !spec.argv.every((a) => typeof a === "string")) {
      throw new SimlabError(`kernelspec ${file} has no argv`, "reinstall it with simlab install");
    }
    const extra = typeof spec.env === "object" && spec.env !== null ? (spec.env as Record<string, string>) : undefined;
    return {
      argv: spec.argv as string[],
      ...(extra ? { env: extra } : {}),
      // Jupyter interrupts by signal unless the spec asks for messages.
      interruptMode: spec.interrupt_mode === "message" ? "message" : "signal",
    };
  }
  throw new SimlabError(`no kernel named '${name}' is installed`, `looked in ${dirs.map((d) => join(d, "kernels")).join(", ")}; install one with simlab install --name ${name}`);
}
