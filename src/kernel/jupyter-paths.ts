/**
 * Where Jupyter keeps its data, computed as jupyter_core does (`jupyter --paths`) but without Python: the one
 * place install, uninstall, `simlab run --kernel-name` and the kernel's history agree on.
 */
import { homedir, platform } from "node:os";
import { delimiter, join } from "node:path";

/** Jupyter's per-user data directory (`jupyter --data-dir`). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (platform() === "darwin") return join(homedir(), "Library", "Jupyter");
  if (platform() === "win32") return join(env.APPDATA ?? homedir(), "jupyter");
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/** The active virtualenv or conda env, if any. */
function environmentPrefix(env: NodeJS.ProcessEnv): string | undefined {
  return env.VIRTUAL_ENV || env.CONDA_PREFIX || undefined;
}

/** Where `--sys-prefix` installs: the active environment, else /usr/local (Debian's Jupyter searches it). */
export function sysPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return environmentPrefix(env) ?? "/usr/local";
}

export const SYSTEM_DATA_DIRS = ["/usr/local/share/jupyter", "/usr/share/jupyter"];

/** jupyter_core's JUPYTER_PREFER_ENV_PATH: set explicitly, or true inside a virtualenv/conda env. */
function preferEnvironment(env: NodeJS.ProcessEnv): boolean {
  const flag = env.JUPYTER_PREFER_ENV_PATH;
  if (flag !== undefined) return !["", "0", "false", "no", "off", "n", "f"].includes(flag.toLowerCase());
  return environmentPrefix(env) !== undefined;
}

/** Jupyter's data directories in its search order: $JUPYTER_PATH, then user and environment (environment first inside one), then the system's. */
export function jupyterDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnvVar = (env.JUPYTER_PATH ?? "").split(delimiter).filter((d) => d !== "");
  const user = [userDataDir(env)];
  const prefix = environmentPrefix(env);
  const environment = prefix ? [join(prefix, "share", "jupyter")].filter((d) => !SYSTEM_DATA_DIRS.includes(d)) : [];
  const middle = preferEnvironment(env) ? [...environment, ...user] : [...user, ...environment];
  return [...new Set([...fromEnvVar, ...middle, ...SYSTEM_DATA_DIRS])];
}

/** Every kernels directory Jupyter searches, in its order. */
export function searchedKernelsDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return jupyterDataDirs(env).map((dir) => join(dir, "kernels"));
}

/** The kernel's input history: $SIMLAB_HISTORY, else simlab/history.sqlite in the user's Jupyter data directory. */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.SIMLAB_HISTORY || join(userDataDir(env), "simlab", "history.sqlite");
}
