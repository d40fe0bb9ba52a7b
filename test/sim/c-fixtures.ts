import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { compileProgram } from "../../src/workloads/compiler.js";
import type { Program, RunContext } from "../../src/core/contracts.js";

/** A fresh scratch folder, removed by the returned cleanup. */
export async function scratch(prefix = "simlab-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeScratch(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Compiles one C source (a test program) into a Program. */
export async function buildC(source: string, dir: string, kernelFunction?: string): Promise<Program> {
  const binary = await compileProgram({ "main.c": source }, ["-O1"], dir, new AbortController().signal);
  return { binary, args: [], kernelFunction, compiler: "gcc", flags: ["-O1"] };
}

export function context(workDir: string, timeoutMs = 60_000, signal = new AbortController().signal): RunContext {
  return { signal, timeoutMs, workDir };
}

/** Processes whose command line mentions `needle` (e.g. a test binary's unique path). */
export function processesMentioning(needle: string): string[] {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return ps.split("\n").filter((line) => line.includes(needle) && !line.includes("ps -eo"));
}
