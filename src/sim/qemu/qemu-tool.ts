import { execFile, spawnSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { SimlabError } from "../../core/errors.js";
import { RunFailure, type Program, type RunContext, type RunOutput, type Stats, type Tool, type ToolInfo } from "../../core/contracts.js";
import { runProcess, type ProcessResult } from "../../proc/run-process.js";
import { tail } from "../../proc/tail.js";
import { readCacheGeometry, type CacheGeometry, type CacheLevel } from "../cache-geometry.js";
import { parseKeyValueStats } from "../keyvalue-parse.js";
import type { ToolOptions } from "../options.js";
import { parseProgramOutput } from "../program-output.js";
import { readElfHeader } from "./elf-machine.js";
import { buildPlugin, pluginHash } from "./plugin-build.js";

/** Counts depend on the environment's size (the stack layout), so every run gets this one. */
const FIXED_ENV = ["PATH=/usr/bin:/bin", "LC_ALL=C"];

function versionOf(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => execFile(file, args, { timeout: 10_000 }, (e, out) => done(e ? undefined : out.split("\n")[0]!.trim())));
}

/** The kernel function's [lo,hi) from the symbol table (plain nm reads foreign ELF too). */
async function kernelRange(binary: string, fn: string): Promise<[string, string]> {
  const out = await new Promise<string>((done, fail) =>
    execFile("nm", ["-S", binary], { maxBuffer: 64 << 20 }, (e, o) => (e ? fail(new RunFailure("bad-output", `nm ${binary} failed: ${e.message}`)) : done(o))),
  );
  for (const line of out.split("\n")) {
    const [addr, size, , name] = line.trim().split(/\s+/);
    if (name === fn && size) {
      const lo = BigInt(`0x${addr}`);
      return [`0x${lo.toString(16)}`, `0x${(lo + BigInt(`0x${size}`)).toString(16)}`];
    }
  }
  throw new RunFailure("bad-output", `function '${fn}' not found in ${binary}'s symbol table (is it declared noinline?)`);
}

const level = (l: CacheLevel) => `${l.size}:${l.ways}:${l.line}`;

/** Spec options arrive untyped (JSON), so a wrong type is a one-line error before anything runs. */
function checkOptions(options: ToolOptions): void {
  if (options.cacheModel !== undefined && typeof options.cacheModel !== "boolean") {
    throw new SimlabError(`qemu option cacheModel must be true or false, got ${JSON.stringify(options.cacheModel)}`, 'e.g. "options": {"tools": {"qemu": {"cacheModel": false}}}');
  }
  if (options.qemuPrefix !== undefined && (typeof options.qemuPrefix !== "string" || options.qemuPrefix === "")) {
    throw new SimlabError(`qemu option qemuPrefix must be a non-empty string, got ${JSON.stringify(options.qemuPrefix)}`, 'e.g. "qemu-" (qemu-aarch64 on PATH) or "/opt/qemu/bin/qemu-"');
  }
}

/**
 * A guest that dies by a signal makes qemu-user print "qemu: uncaught target signal …" and kill itself with
 * it; the plugin's atexit never runs then. One line names the signal and the binary; the full command and
 * stderr stay in the details.
 */
function failUnlessRan(result: ProcessResult, qemu: string, binary: string): void {
  if (result.exitCode === 0) return;
  const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
  const stderrTail = tail(result.stderr);
  const last = stderrTail.split("\n").filter((l) => l.trim()).pop();
  throw new RunFailure("crash", `${binary} under ${qemu} ${how}${last ? ` (${last.trim()})` : ""}`, {
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    stderrTail,
  });
}

/** simlab's own TCG plugin under qemu-user: cachegrind's events for any x86-64, AArch64 or RISC-V static binary. */
export function qemuTool(options: ToolOptions = {}): Tool {
  checkOptions(options);
  const geometry: CacheGeometry = options.geometry ?? readCacheGeometry();
  const cacheModel = options.cacheModel !== false;
  const prefix = options.qemuPrefix ?? "qemu-";
  const caches = cacheModel ? `I1 ${level(geometry.I1)} D1 ${level(geometry.D1)} LL ${level(geometry.LL)}` : "no cache model";
  const probe = async (): Promise<ToolInfo> => {
    const qemu = await versionOf(`${prefix}x86_64`, ["--version"]);
    if (!qemu) return { available: false, reason: `${prefix}x86_64 not found or not runnable (apt-get install qemu-user)` };
    if (!(await versionOf("gcc", ["--version"]))) return { available: false, reason: "gcc not found (needed to build simlab's QEMU plugin; apt-get install gcc)" };
    return { available: true, version: `${qemu}; plugin ${pluginHash()}; ${caches}` };
  };
  let qemuVersion: string | undefined;
  return {
    name: "qemu",
    probe,
    // Provenance: plugin source hash, geometry, model switch and the qemu version all change the counts.
    cacheKey: () => {
      qemuVersion ??= spawnSync(`${prefix}x86_64`, ["--version"], { encoding: "utf8" }).stdout?.split("\n")[0] ?? "";
      return JSON.stringify({ plugin: pluginHash(), geometry, cacheModel, qemu: qemuVersion });
    },
    run: (program, ctx) => runUnderQemu(program, ctx, { geometry, cacheModel, prefix }),
  };
}

export interface QemuRunOptions {
  geometry: CacheGeometry;
  cacheModel: boolean;
  /** qemu-user executables are `<prefix><isa>`. */
  prefix: string;
  /** Also write how often each kernel instruction ran to this file (see `readInstructionCounts`). */
  countsFile?: string;
}

/** One run of `program sim` under qemu-<its ISA> with simlab's plugin; also the mca tool's counter for other ISAs. */
export async function runUnderQemu(program: Program, ctx: RunContext, options: QemuRunOptions): Promise<RunOutput & { command: string }> {
  const { geometry, cacheModel, prefix } = options;
  const { isa, textStart } = readElfHeader(program.binary);
  const qemu = `${prefix}${isa}`;
  if (!(await versionOf(qemu, ["--version"]))) throw new RunFailure("unavailable", `${qemu} not found or not runnable (apt-get install qemu-user)`);
  const plugin = await buildPlugin();
  const [lo, hi] = program.kernelFunction ? await kernelRange(program.binary, program.kernelFunction) : ["0", "0"];
  const out = join(ctx.workDir, "qemu-stats.txt");
  await rm(out, { force: true });
  if (options.countsFile) await rm(options.countsFile, { force: true });
  const pluginArgs = [plugin, `isa=${isa}`, `text=0x${textStart.toString(16)}`, `lo=${lo}`, `hi=${hi}`, `out=${out}`, `cache=${cacheModel ? 1 : 0}`, `i1=${level(geometry.I1)}`, `d1=${level(geometry.D1)}`, `ll=${level(geometry.LL)}`];
  if (options.countsFile) pluginArgs.push(`counts=${options.countsFile}`);
  const args = ["-i", ...FIXED_ENV, qemu, "-plugin", pluginArgs.join(","), program.binary, ...program.args, "sim"];
  const result = await runProcess("env", args, { signal: ctx.signal, timeoutMs: ctx.timeoutMs, cwd: ctx.workDir });
  failUnlessRan(result, qemu, program.binary);
  const text = await readFile(out, "utf8").catch(() => {
    throw new RunFailure("bad-output", `simlab's QEMU plugin wrote no ${out}`, { command: result.command });
  });
  const stats: Stats = parseKeyValueStats(text);
  if (!program.kernelFunction) {
    for (const k of Object.keys(stats)) if (k.startsWith("kernel.")) delete stats[k];
  } else if (!(stats["kernel.Ir"]! > 0)) {
    // Zero would be stored as a real count; it means the range missed the code qemu ran.
    throw new RunFailure("bad-output", `no instruction of '${program.kernelFunction}' [${lo}, ${hi}) ran under ${qemu} (did the program call it?)`, { command: result.command });
  }
  return { stats, checksum: parseProgramOutput(result.stdout).checksum, wallSeconds: result.wallSeconds, command: result.command };
}

/** The plugin's counts= file: "<file address> <executions>" lines, one per instruction of a translated block, summed. */
export async function readInstructionCounts(file: string): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const text = await readFile(file, "utf8").catch(() => {
    throw new RunFailure("bad-output", `simlab's QEMU plugin wrote no ${file}`);
  });
  for (const line of text.split("\n")) {
    const [address, n] = line.split(" ");
    if (!address || !n) continue;
    const at = Number(address), times = Number(n);
    if (!Number.isSafeInteger(at) || !Number.isFinite(times)) throw new RunFailure("bad-output", `unreadable line in ${file}: ${line}`);
    counts.set(at, (counts.get(at) ?? 0) + times);
  }
  return counts;
}
