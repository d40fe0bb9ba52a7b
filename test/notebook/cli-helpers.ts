import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Notebook } from "../../src/notebook/ipynb.js";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
export const simlabMain = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion, capturing its output; kills it after `timeoutMs`. */
export function runCommand(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...options.env }, cwd: options.cwd ?? repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function readJson(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}
