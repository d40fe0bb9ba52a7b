import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RunFailure } from "../../core/contracts.js";

/** tsc copies no .c files into dist/, so the source is found back under src/ from the compiled file's place. */
export function pluginSourcePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "plugin.c"), resolve(here, "../../../../src/sim/qemu/plugin.c")];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new RunFailure("build", `simlab's QEMU plugin source not found (looked at ${candidates.join(", ")})`);
  return found;
}

export function pluginHash(): string {
  return createHash("sha256").update(readFileSync(pluginSourcePath())).digest("hex").slice(0, 16);
}

const builds = new Map<string, Promise<string>>();

/** Builds the plugin with the host gcc once per source content, into a cache folder; rename makes concurrent builds safe. */
export function buildPlugin(gcc = "gcc"): Promise<string> {
  const hash = pluginHash();
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "simlab", "qemu-plugin");
  const target = join(dir, `${hash}.so`);
  let build = builds.get(target);
  if (!build) {
    build = new Promise((done, fail) => {
      if (existsSync(target)) return done(target);
      mkdirSync(dir, { recursive: true });
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
      execFile(gcc, ["-shared", "-fPIC", "-O2", "-o", tmp, pluginSourcePath()], { timeout: 120_000 }, (error, _out, stderr) => {
        if (error) return fail(new RunFailure("build", `building simlab's QEMU plugin failed: ${stderr.split("\n")[0] || error.message}`));
        renameSync(tmp, target);
        done(target);
      });
    });
    build.catch(() => builds.delete(target));
    builds.set(target, build);
  }
  return build;
}
