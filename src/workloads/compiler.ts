import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SimlabError } from "../core/errors.js";
import { failUnlessSuccess, runProcess } from "../proc/run-process.js";

/**
 * Default flags: -O2 for the host's baseline ISA. Not -march=native: on this machine it emits AVX-512,
 * which valgrind 3.19 cannot decode (the simulated run dies with SIGILL); pass e.g. `-march=x86-64-v3`
 * through WorkloadOptions.flags to simulate and measure AVX2 code.
 */
export const DEFAULT_FLAGS: readonly string[] = ["-O2", "-std=gnu11"];
export const DEFAULT_CC = "gcc";
const BUILD_TIMEOUT_MS = 120_000;

/** Found identities by compiler and PATH (a notebook may change PATH with %env); misses are looked up again. */
const identities = new Map<string, string>();

/** The first line of `cc --version`, or undefined when cc is not found or not runnable. */
export function findCompilerIdentity(cc: string): string | undefined {
  const key = `${cc}\0${process.env.PATH ?? ""}`;
  let identity = identities.get(key);
  if (identity === undefined) {
    try {
      identity = execFileSync(cc, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0]!.trim();
    } catch {
      return undefined;
    }
    identities.set(key, identity);
  }
  return identity;
}

/** The compiler's identity, the first line of `cc --version` (part of every cache key). */
export function compilerIdentity(cc: string = DEFAULT_CC): string {
  const identity = findCompilerIdentity(cc);
  if (identity === undefined) throw new SimlabError(`C compiler '${cc}' not found or not runnable`, "install it (apt-get install gcc) or set the compiler with the cc option");
  return identity;
}

/** The name of the executable `compileProgram` writes. */
export const BINARY_NAME = "prog";

/**
 * Writes `files` into `dir` and compiles its .c files into `dir/prog` with `flags` (plus `extraFlags` such
 * as -D defines). A compiler error is RunFailure("build") carrying the compiler's stderr tail.
 */
export async function compileProgram(
  files: Readonly<Record<string, string>>,
  flags: readonly string[],
  dir: string,
  signal: AbortSignal,
  cc: string = DEFAULT_CC,
): Promise<string> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const binary = join(dir, BINARY_NAME);
  const sources = Object.keys(files).filter((f) => f.endsWith(".c")).map((f) => join(dir, f));
  const result = await runProcess(cc, [...flags, ...sources, "-o", binary], { signal, timeoutMs: BUILD_TIMEOUT_MS, cwd: dir });
  failUnlessSuccess(result, "build", "the compiler");
  return binary;
}
