/**
 * Loads tslab's TypeScript (a 9 MB script) with a V8 code cache kept across kernel launches, so a new kernel skips
 * compiling it — including the functions that parsing and type checking compile lazily, because the cache is
 * written after the converter's first compile (`saveCodeCache`). On Node ≥ 22 Node's own compile cache does this;
 * on Node 20 we keep the cache ourselves through `vm.Script`'s cachedData. Either way it lives in
 * ~/.cache/simlab/v8-code-cache (or $XDG_CACHE_HOME/simlab/…); V8 rejects a cache that does not match the source.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir, tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";
import type * as TS from "@tslab/typescript-for-tslab";
import { snapshotStore } from "./snapshot/store.js";

const require = createRequire(import.meta.url);
/** `require` as seen from tslab's files, so its TypeScript fork and ours are the same module instance. */
export const tslabRequire = createRequire(require.resolve("tslab/dist/converter.js"));

/** tslab's TypeScript fork (lib/typescript.js). */
export const typescriptPath = tslabRequire.resolve("@tslab/typescript-for-tslab");

interface NodeCompileCache {
  enableCompileCache?: (directory?: string) => unknown;
  flushCompileCache?: () => void;
}

/**
 * simlab's folder in the user's own cache: code cache or a snapshot from a shared folder like /tmp would be a way
 * to inject code.
 */
export function simlabCacheDirectory(): string {
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : join(tmpdir(), `simlab-${userInfo().uid}`));
  return join(base, "simlab");
}

const cacheDirectory = () => join(simlabCacheDirectory(), "v8-code-cache");

let script: vm.Script | undefined;
let cacheFile: string | undefined;
let typescript: typeof TS | undefined;

/** Runs typescript.js as a CommonJS module from a vm.Script that uses (and later refreshes) our cache file. */
function loadWithCodeCache(): typeof TS {
  const source = readFileSync(typescriptPath, "utf8");
  const key = createHash("sha256").update(`${process.version}\0${typescriptPath}\0${statSync(typescriptPath).mtimeMs}`).digest("hex").slice(0, 16);
  cacheFile = join(cacheDirectory(), `typescript-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  script = new vm.Script(Module.wrap(source), { filename: typescriptPath, cachedData });
  if (script.cachedDataRejected) cachedData = undefined;
  if (cachedData) cacheFile = undefined; // a good cache exists: nothing to save
  const module = new Module(typescriptPath);
  module.filename = typescriptPath;
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(typescriptPath), module, typescriptPath, dirname(typescriptPath));
  module.loaded = true;
  require.cache[typescriptPath] = module;
  return module.exports as typeof TS;
}

/** tslab's TypeScript, loaded once per thread (or taken from the startup snapshot the process began from). */
export function loadTypeScript(): typeof TS {
  if (typescript) return typescript;
  const snapshot = snapshotStore();
  if (snapshot) {
    typescript = snapshot.ts;
    return typescript;
  }
  const node = Module as unknown as NodeCompileCache;
  if (require.cache[typescriptPath]) {
    typescript = tslabRequire(typescriptPath) as typeof TS;
  } else if (node.enableCompileCache) {
    node.enableCompileCache(cacheDirectory());
    typescript = tslabRequire(typescriptPath) as typeof TS;
  } else {
    typescript = loadWithCodeCache();
  }
  return typescript;
}

/** Writes the code cache once TypeScript's hot functions are compiled (call after the first cell compiled). */
export function saveCodeCache(): void {
  const node = Module as unknown as NodeCompileCache;
  if (node.flushCompileCache) {
    node.flushCompileCache();
    return;
  }
  if (!script || !cacheFile) return;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // no cache this time: the next launch compiles TypeScript again
  }
  cacheFile = undefined;
}
