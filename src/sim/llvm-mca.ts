import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { failUnlessSuccess, runProcess } from "../proc/run-process.js";
import { RunFailure, type RunContext, type ToolInfo } from "../core/contracts.js";
import type { BasicBlock } from "./disassembly.js";

/** Executables tried, in order, when the tool options name none. */
export const LLVM_MCA_CANDIDATES = ["llvm-mca-16", "llvm-mca"] as const;
export const LLVM_MCA_HINT = "apt-get install llvm-16";

/** What llvm-mca says about one code region (a basic block run `Iterations` times back to back). */
export interface RegionSummary {
  iterations: number;
  instructions: number;
  totalCycles: number;
  totalUops: number;
  /** The resource-pressure bound: cycles per iteration if only execution ports and dispatch limited it. */
  blockRThroughput: number;
}

export interface LlvmMcaSetup {
  executable: string;
  /** "16.0.6" */
  version: string;
  /** The CPU model simulated: the option's, else llvm's idea of the host ("znver3"). */
  mcpu: string;
  mtriple?: string;
}

function execText(file: string, args: readonly string[], input?: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: 20_000 }, (error, stdout, stderr) => resolve({ ok: !error, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Finds llvm-mca, its version and the CPU to model, and checks that llvm knows that CPU (llvm-mca only warns
 * about an unknown -mcpu and then models a generic one, which would silently give other numbers).
 */
export async function probeLlvmMca(options: { executable?: string; mcpu?: string; mtriple?: string }): Promise<ToolInfo & { setup?: LlvmMcaSetup }> {
  const candidates = options.executable ? [options.executable] : LLVM_MCA_CANDIDATES;
  for (const executable of candidates) {
    const v = await execText(executable, ["--version"]);
    if (!v.ok) continue;
    const version = /LLVM version (\S+)/.exec(v.stdout)?.[1] ?? "unknown";
    const mcpu = options.mcpu ?? /Host CPU: (\S+)/.exec(v.stdout)?.[1] ?? "generic";
    const target = [...(options.mtriple ? [`-mtriple=${options.mtriple}`] : []), `-mcpu=${mcpu}`];
    const check = await execText(executable, [...target, "-"], "nop\n");
    if (/not a recognized processor|unable to get target/i.test(check.stderr) || !check.ok) {
      const why = check.stderr.split("\n").find((l) => l.trim()) ?? "llvm-mca failed";
      return { available: false, reason: `${executable} cannot model -mcpu=${mcpu}${options.mtriple ? ` -mtriple=${options.mtriple}` : ""}: ${why.trim()} (see ${executable} -mcpu=help)` };
    }
    const setup = { executable, version, mcpu, mtriple: options.mtriple };
    return { available: true, version: `LLVM ${version} ${target.join(" ")}`, setup };
  }
  return { available: false, reason: `${candidates.join(" or ")} not found (${LLVM_MCA_HINT})` };
}

const NOP = /^(?:(?:data16|cs|ds)\s+)*(?:nop[a-z]*|xchg\s+%ax,%ax)\b/;

/** An instruction as llvm-mca's assembler accepts it: a direct jump or call aims at the region's own label. */
function asmLine(text: string, label: string): string {
  return text.replace(/([\s,])[0-9a-f]+ <[^>]*>$/, `$1${label}`);
}

/** The instructions of a block llvm-mca is given (alignment nops are left out: they cost no execution). */
export function modelledInstructions(block: BasicBlock): string[] {
  return block.instructions.map((i) => i.text).filter((t) => !NOP.test(t));
}

/**
 * One assembly file with every block as its own llvm-mca code region (`# LLVM-MCA-BEGIN b<i>` … `END`),
 * so a single llvm-mca run analyses them all; blocks with nothing to model are left out. The markers work for
 * AArch64 too (llvm-mca reads '#' line comments there; "//" ones lose the regions).
 */
export function regionsAssembly(blocks: ReadonlyArray<{ name: string; block: BasicBlock }>): string {
  const lines: string[] = [];
  for (const { name, block } of blocks) {
    const body = modelledInstructions(block);
    if (body.length === 0) continue;
    const label = `.L${name}`;
    lines.push(`# LLVM-MCA-BEGIN ${name}`, `${label}:`, ...body.map((t) => `  ${asmLine(t, label)}`), "# LLVM-MCA-END");
  }
  return lines.join("\n") + "\n";
}

interface McaJson {
  CodeRegions?: Array<{ Name?: string; SummaryView?: Record<string, number> }>;
}

/** Runs llvm-mca on the regions (JSON output) and returns each region's summary by name. */
export async function runLlvmMca(asm: string, setup: LlvmMcaSetup, ctx: RunContext, iterations: number): Promise<Map<string, RegionSummary>> {
  const input = join(ctx.workDir, "blocks.s");
  await writeFile(input, asm);
  const args = [...(setup.mtriple ? [`-mtriple=${setup.mtriple}`] : []), `-mcpu=${setup.mcpu}`, `-iterations=${iterations}`, "-json", input];
  const result = await runProcess(setup.executable, args, { signal: ctx.signal, timeoutMs: ctx.timeoutMs, cwd: ctx.workDir });
  failUnlessSuccess(result, "crash", "llvm-mca");
  let parsed: McaJson;
  try {
    parsed = JSON.parse(result.stdout) as McaJson;
  } catch {
    throw new RunFailure("bad-output", `llvm-mca printed no JSON for ${input}`, { command: result.command, stderrTail: result.stderr.slice(-500) });
  }
  const summaries = new Map<string, RegionSummary>();
  for (const region of parsed.CodeRegions ?? []) {
    const s = region.SummaryView;
    if (!region.Name || !s) continue;
    summaries.set(region.Name, {
      iterations: s.Iterations ?? 0,
      instructions: s.Instructions ?? 0,
      totalCycles: s.TotalCycles ?? 0,
      totalUops: s.TotaluOps ?? 0,
      blockRThroughput: s.BlockRThroughput ?? 0,
    });
  }
  return summaries;
}
