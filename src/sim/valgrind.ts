import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseProgramOutput } from "./program-output.js";
import { failUnlessSuccess, runProcess } from "../proc/run-process.js";
import { RunFailure, type Program, type RunContext, type ToolInfo } from "../core/contracts.js";
import { refuseForeignIsa } from "./foreign-isa.js";

const probes = new Map<string, Promise<ToolInfo>>();

/** Whether valgrind runs here, and its version ("valgrind-3.19.0"), probed once per executable. */
export function probeValgrind(valgrind = "valgrind"): Promise<ToolInfo> {
  let probe = probes.get(valgrind);
  if (!probe) {
    probe = new Promise((resolve) => {
      execFile(valgrind, ["--version"], { timeout: 10_000 }, (error, stdout) => {
        if (error) resolve({ available: false, reason: `${valgrind} not found or not runnable (apt-get install valgrind)` });
        else resolve({ available: true, version: stdout.trim() });
      });
    });
    probes.set(valgrind, probe);
  }
  return probe;
}

/**
 * What the simulated program sees is fixed, so its counts are the same wherever it runs (a local pool, a Slurm
 * task): the stack holds the environment and argv[0], and their sizes shift the kernel's cache misses (kernel
 * D1mr 958 vs 950 with 3 kB more environment, 947 with a 50-character longer binary path). So valgrind runs
 * under `env -i` with this environment, on a copy of the binary, `./program`, in a folder of a fixed-length
 * name (valgrind sets PWD to it) directly under /tmp (TMPDIR differs between machines).
 */
export const FIXED_ENV = ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"];
/** Part of the valgrind tools' cache keys: results from before the fixed environment are other measurements. */
export const VALGRIND_RUN_SETUP = "fixed-env-1";
const RUN_FOLDER_PREFIX = "/tmp/simlab-vg-";
const PROGRAM = "./program";

export interface ValgrindRun {
  /** Contents of every output file the tool wrote (one per traced process), by path. */
  outputs: Array<{ file: string; text: string }>;
  checksum?: string;
  wallSeconds: number;
  command: string;
}

/**
 * Runs `program sim` under a valgrind tool, following child processes (so command workloads behind a shell are
 * simulated too), with the tool's output files at `<workDir>/<outName>.<pid>`. A crash of the program or of
 * valgrind is RunFailure("crash"); no output file is RunFailure("bad-output").
 */
export async function runValgrind(
  tool: "cachegrind" | "callgrind",
  toolArgs: readonly string[],
  program: Program,
  ctx: RunContext,
  valgrind = "valgrind",
  label: string = tool,
): Promise<ValgrindRun> {
  refuseForeignIsa(program, (isa, host) => `${label} simulates ${host} binaries only (valgrind runs the host's ISA): use the qemu tool for this ${isa} build`);
  const outName = `${tool}.out`;
  const stale = (await readdir(ctx.workDir)).filter((f) => f.startsWith(`${outName}.`));
  await Promise.all(stale.map((f) => rm(join(ctx.workDir, f), { force: true }))); // from an earlier attempt
  const cwd = await mkdtemp(RUN_FOLDER_PREFIX);
  let result;
  try {
    await copyFile(program.binary, join(cwd, PROGRAM));
    const args = ["-i", ...FIXED_ENV, valgrind, `--tool=${tool}`, "-q", "--trace-children=yes", `--${tool}-out-file=${join(ctx.workDir, outName)}.%p`, ...toolArgs, PROGRAM, ...program.args, "sim"];
    result = await runProcess("env", args, { signal: ctx.signal, timeoutMs: ctx.timeoutMs, cwd });
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
  failUnlessSuccess(result, "crash", `the program under ${tool}`);
  const names = (await readdir(ctx.workDir)).filter((f) => f.startsWith(`${outName}.`)).sort();
  if (names.length === 0) {
    throw new RunFailure("bad-output", `${tool} wrote no ${join(ctx.workDir, outName)}.<pid> file (expected its statistics there)`, {
      command: result.command,
      exitCode: result.exitCode,
    });
  }
  const outputs = await Promise.all(names.map(async (f) => ({ file: join(ctx.workDir, f), text: await readFile(join(ctx.workDir, f), "utf8") })));
  return { outputs, checksum: parseProgramOutput(result.stdout).checksum, wallSeconds: result.wallSeconds, command: result.command };
}
