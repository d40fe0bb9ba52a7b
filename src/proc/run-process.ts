import { execa } from "execa";
import { existsSync } from "node:fs";
import { RunFailure } from "../core/contracts.js";
import { killGroup, trackGroup, untrackGroup } from "./process-groups.js";
import { tail } from "./tail.js";

export interface RunProcessOptions {
  signal: AbortSignal;
  timeoutMs: number;
  cwd?: string;
  env?: Record<string, string>;
  /** The most output (characters of stdout, and of stderr) kept; more fails the run (default MAX_OUTPUT). */
  maxOutput?: number;
  /** Text written to the process's stdin (default: no stdin). */
  input?: string;
}

/** Output beyond this is a failure, not something to parse: 64 Mi characters per stream. */
export const MAX_OUTPUT = 64 * 1024 * 1024;
/** setTimeout holds at most 2^31-1 ms; a longer timeout would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ProcessResult {
  command: string;
  stdout: string;
  stderr: string;
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  wallSeconds: number;
}

/** A shell-like rendering of a command line, for messages and records. */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/**
 * util-linux's setpriv (always present on Debian) makes the kernel SIGKILL the child when simlab itself dies,
 * even by SIGKILL, so a killed sweep does not leave simulators running. Only the direct child gets it; its own
 * children are killed with the group on timeout, abort or normal exit.
 */
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => existsSync(path));

/**
 * Runs `file args` in its own process group and waits for it. A timeout or an abort kills the whole group
 * and throws RunFailure("timeout" | "cancelled"); any other ending (even a crash) is returned to the caller,
 * which knows whether a non-zero exit is a build error or a crash (see `failUnlessSuccess`).
 */
export async function runProcess(file: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const command = formatCommand(file, args);
  if (!(options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMER_MS)) throw new RangeError(`timeoutMs must be in (0, ${MAX_TIMER_MS}], got ${options.timeoutMs}`);
  if (options.signal.aborted) throw new RunFailure("cancelled", `cancelled before start: ${command}`, { command });
  const maxOutput = options.maxOutput ?? MAX_OUTPUT;
  const started = performance.now();
  const [launcher, launchArgs] = SETPRIV ? [SETPRIV, ["--pdeathsig", "KILL", "--", file, ...args]] : [file, args];
  const child = execa(launcher, launchArgs, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
    stripFinalNewline: false,
    maxBuffer: maxOutput,
  });
  const pgid = child.pid;
  if (pgid !== undefined) trackGroup(pgid);
  let ending: "timeout" | "cancelled" | undefined;
  const stop = (why: "timeout" | "cancelled") => {
    ending ??= why;
    if (pgid !== undefined) killGroup(pgid);
  };
  const onAbort = () => stop("cancelled");
  options.signal.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
  try {
    const result = await child;
    const wallSeconds = (performance.now() - started) / 1000;
    const stdout = typeof result.stdout === "string" ? result.stdout : "";
    const stderr = typeof result.stderr === "string" ? result.stderr : "";
    const details = { command, exitCode: result.exitCode ?? null, signal: result.signal ?? null, stderrTail: tail(stderr) };
    if (ending === "timeout") {
      throw new RunFailure("timeout", `timed out after ${(options.timeoutMs / 1000).toFixed(1)} s (process group killed): ${command}`, details);
    }
    if (ending === "cancelled") throw new RunFailure("cancelled", `cancelled (process group killed): ${command}`, details);
    if (result.isMaxBuffer) {
      throw new RunFailure("bad-output", `output exceeded ${maxOutput} bytes (process group killed): ${command}`, details);
    }
    if (result.failed && result.exitCode === undefined && result.signal === undefined) {
      // The process never started (e.g. ENOENT).
      throw new RunFailure("crash", `could not start ${file}: ${result.shortMessage}`, { command, stderrTail: tail(stderr) });
    }
    return { command, stdout, stderr, exitCode: result.exitCode ?? null, signal: result.signal ?? null, wallSeconds };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
    if (pgid !== undefined) {
      killGroup(pgid); // anything the program left running in the background
      untrackGroup(pgid);
    }
  }
}

/** Throws RunFailure(reason) with exit code, signal and stderr tail unless the process exited with status 0. */
export function failUnlessSuccess(result: ProcessResult, reason: "crash" | "build", what: string): void {
  if (result.exitCode === 0) return;
  const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
  const stderrTail = tail(result.stderr);
  throw new RunFailure(reason, `${what} ${how}: ${result.command}${stderrTail ? `\n${stderrTail}` : ""}`, {
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    stderrTail,
  });
}
