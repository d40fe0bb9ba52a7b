/** Shared by the kernel tests: a kernelspec installed in a temporary prefix, and Python drivers under /usr/bin/python3. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const repoRoot = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");
export const scriptsDir = join(repoRoot, "test", "kernel");
const run = promisify(execFile);

export interface InstalledKernel {
  prefix: string;
  /** A folder outside the checkout, used as the notebook's working directory. */
  workdir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** `simlab install --prefix <tmp>` and an environment whose JUPYTER_PATH finds it. */
export async function installKernel(): Promise<InstalledKernel> {
  const prefix = mkdtempSync(join(tmpdir(), "simlab-spec-"));
  const workdir = mkdtempSync(join(tmpdir(), "simlab-nb-"));
  await run(process.execPath, [join(repoRoot, "dist", "src", "cli", "main.js"), "install", "--prefix", prefix]);
  const env = {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share", "jupyter"),
    JUPYTER_RUNTIME_DIR: join(prefix, "runtime"),
    SIMLAB_HISTORY: join(prefix, "history.sqlite"),
    PYTHONPATH: scriptsDir,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  return {
    prefix,
    workdir,
    env,
    cleanup() {
      rmSync(prefix, { recursive: true, force: true });
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

export function python(script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
  return spawn("/usr/bin/python3", [join(scriptsDir, script), ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs a Python driver to completion; resolves to its exit code and output. */
export function runPython(script: string, args: string[], kernel: InstalledKernel, timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = python(script, args, kernel.env, kernel.workdir);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** The last line of stdout that is a JSON object. */
export function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
  if (!line) throw new Error(`no JSON in output: ${stdout}`);
  return JSON.parse(line) as T;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
