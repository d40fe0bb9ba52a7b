/**
 * Module and type roots for notebooks in any folder. TypeScript (in tslab's converter) and Node's `require`
 * first resolve packages the usual way from the notebook's folder upwards; what is not found there falls back
 * to simlab's own package root: `simlab` itself, its dependencies (arquero, …) and `@types/node`.
 */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** simlab's package root (this file is dist/src/kernel/modules.js). */
export const simlabRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const ROOT_MODULES = "/node_modules";

/** Maps `/node_modules/...` (the last place Node-style resolution looks) into simlab's package root. */
export function fallbackPath(path: string): string | undefined {
  if (path !== ROOT_MODULES && !path.startsWith(`${ROOT_MODULES}/`)) return undefined;
  const rest = path.slice(ROOT_MODULES.length + 1);
  if (rest === "simlab" || rest.startsWith("simlab/")) return join(simlabRoot, rest.slice("simlab".length));
  return join(simlabRoot, "node_modules", rest);
}

/** The parts of TypeScript's `sys` that module and type-root resolution read. */
export interface ResolutionSys {
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  readFile(path: string, encoding?: string): string | undefined;
  getDirectories(path: string): string[];
  realpath?(path: string): string;
}

/** Patches TypeScript's `sys` in place so resolution that fails everywhere else looks into simlab's root. */
export function addTypeFallback(sys: ResolutionSys): void {
  const { fileExists, directoryExists, readFile, getDirectories, realpath } = sys;
  const mapped = <T>(path: string, original: (p: string) => T, isFound: (r: T) => boolean): T => {
    const result = original(path);
    const fallback = fallbackPath(path);
    return isFound(result) || fallback === undefined ? result : original(fallback);
  };
  sys.fileExists = (p) => mapped(p, (q) => fileExists.call(sys, q), Boolean);
  sys.directoryExists = (p) => mapped(p, (q) => directoryExists.call(sys, q), Boolean);
  sys.readFile = (p, encoding) => mapped(p, (q) => readFile.call(sys, q, encoding), (r) => r !== undefined);
  sys.getDirectories = (p) => mapped(p, (q) => (directoryExists.call(sys, q) ? getDirectories.call(sys, q) : []), (r) => r.length > 0);
  if (realpath) {
    sys.realpath = (p) => {
      const fallback = fallbackPath(p);
      return fallback !== undefined && !fileExists.call(sys, p) && !directoryExists.call(sys, p) ? realpath.call(sys, fallback) : realpath.call(sys, p);
    };
  }
}

/** `require` for notebook code: resolves from the notebook's folder, then from simlab's root (incl. `simlab`). */
export function notebookRequire(folder: string): NodeJS.Require {
  const local = createRequire(join(folder, "__notebook__.js"));
  const fallback = createRequire(join(simlabRoot, "package.json"));
  const isBare = (id: string) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("node:");
  const req = ((id: string) => {
    try {
      return local(id);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && (e as Error).message.includes(`'${id}'`);
      if (!missing || !isBare(id)) throw e;
      return fallback(id);
    }
  }) as NodeJS.Require;
  return Object.assign(req, { resolve: local.resolve, cache: local.cache, main: local.main, extensions: local.extensions });
}
