import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { SimlabError } from "../core/errors.js";
import { killGroup, trackGroup, untrackGroup } from "../proc/process-groups.js";
import { defineMagic, type MagicSpec } from "./types.js";

/** The shell family: %%sh and %system (`!command`). Its process groups are tracked so they die if the kernel exits while they run. */

export interface ShellOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  interrupted: boolean;
}

/**
 * Runs a script with `shell -c`, streaming its output as it arrives. The script runs in its own process
 * group; when `signal` aborts, or when the shell exits leaving background jobs, the whole group is killed
 * (SIGTERM, then SIGKILL after `graceMs`).
 */
export function runShell(
  script: string,
  options: { shell: string; cwd: string; signal: AbortSignal; stdout(text: string): void; stderr(text: string): void; graceMs?: number },
): Promise<ShellOutcome> {
  return new Promise((resolvePromise, reject) => {
    if (options.signal.aborted) {
      resolvePromise({ exitCode: null, signal: null, interrupted: true });
      return;
    }
    const child = spawn(options.shell, ["-c", script], { cwd: options.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const pgid = child.pid;
    let interrupted = false;
    let forceKill: NodeJS.Timeout | undefined;
    const stopGroup = () => {
      if (pgid === undefined) return;
      killGroup(pgid, "SIGTERM");
      forceKill ??= setTimeout(() => killGroup(pgid, "SIGKILL"), options.graceMs ?? 300);
    };
    const onAbort = () => {
      interrupted = true;
      stopGroup();
    };
    if (pgid !== undefined) trackGroup(pgid);
    options.signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.setEncoding("utf8").on("data", (text: string) => options.stdout(text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => options.stderr(text));
    // Background jobs would keep the pipes open: once the shell itself exits, end its group too.
    child.on("exit", stopGroup);
    child.on("error", (e: NodeJS.ErrnoException) => {
      options.signal.removeEventListener("abort", onAbort);
      if (pgid !== undefined) untrackGroup(pgid);
      reject(new SimlabError(`%%sh: cannot start ${options.shell}: ${e.code ?? e.message}`, "check that the shell is installed"));
    });
    child.on("close", (exitCode, signal) => {
      options.signal.removeEventListener("abort", onAbort);
      if (pgid !== undefined) {
        // Reap anything that ignored SIGTERM before forgetting the group.
        killGroup(pgid, "SIGKILL");
        untrackGroup(pgid);
      }
      clearTimeout(forceKill);
      resolvePromise({ exitCode, signal, interrupted });
    });
  });
}

const sh = defineMagic({
  name: "sh",
  kind: "cell",
  summary: "Run the cell as a shell script, streaming its output",
  description:
    "The script runs in its own process group: interrupting the cell kills it and everything it started.\n" +
    "Example:\n  %%sh --cwd /tmp\n  gcc -O2 -o gemm gemm.c && ./gemm",
  options: [
    { name: "cwd", type: "string", help: "directory to run in (default: the current directory)" },
    { name: "shell", type: "string", default: "sh", choices: ["sh", "bash"], help: "shell that runs the script" },
    { name: "check", type: "boolean", default: true, help: "fail the cell when the script exits non-zero" },
  ],
}, async (args, ctx) => {
  const cwd = resolve(args.cwd ?? ".");
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new SimlabError(`%%sh: option --cwd: no such directory: ${cwd}`, "give an existing directory");
  }
  const shell = args.shell === "bash" ? "bash" : "/bin/sh";
  const outcome = await runShell(ctx.body ?? "", { shell, cwd, signal: ctx.signal, stdout: ctx.stdout, stderr: ctx.stderr });
  if (outcome.interrupted) {
    throw new SimlabError("%%sh: interrupted; the script and everything it started were stopped");
  }
  if (outcome.signal) {
    throw new SimlabError(`%%sh: the script was killed by ${outcome.signal}`, "the output above shows how far it got");
  }
  if (outcome.exitCode !== 0 && args.check) {
    throw new SimlabError(`%%sh: the script exited with code ${outcome.exitCode}`, "the output above shows what failed; --no-check ignores the exit code");
  }
  return undefined;
});

const system = defineMagic({
  name: "system",
  kind: "line",
  summary: "Run one shell command, streaming its output (also written `!command`)",
  description:
    "The command runs with /bin/sh in the current directory; interrupting the cell kills it and everything it started.\n" +
    "A non-zero exit status is printed, not an error, as in IPython. Example: !ls -l *.c",
  positionals: [{ name: "command", type: "string", raw: true, required: true, help: "the shell command line" }],
}, async (args, ctx) => {
  const outcome = await runShell(args.command, { shell: "/bin/sh", cwd: process.cwd(), signal: ctx.signal, stdout: ctx.stdout, stderr: ctx.stderr });
  if (outcome.interrupted) throw new SimlabError("!: interrupted; the command and everything it started were stopped");
  if (outcome.signal) ctx.stderr(`(killed by ${outcome.signal})\n`);
  else if (outcome.exitCode !== 0) ctx.stderr(`(exit status ${outcome.exitCode})\n`);
  return undefined;
});

export const magics: readonly MagicSpec[] = [sh, system];
