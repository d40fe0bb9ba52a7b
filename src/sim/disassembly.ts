import { runProcess } from "../proc/run-process.js";
import { RunFailure } from "../core/contracts.js";

/** One instruction of a disassembled function, in GNU (AT&T) syntax as objdump prints it. */
export interface Instruction {
  address: number;
  /** e.g. "addss  %xmm0,%xmm1" or "jne    1590 <kernel+0x40>" (objdump's trailing `# …` comment removed). */
  text: string;
  /** The address a direct jump goes to (undefined for other instructions and indirect jumps). */
  target?: number;
  /** A jump, call or return: it ends a basic block. */
  branch: boolean;
}

/** A straight run of instructions entered only at its first and left only after its last. */
export interface BasicBlock {
  start: number;
  instructions: Instruction[];
}

/** The ISAs whose objdump output simlab reads (x86-64 in AT&T syntax, as GNU objdump prints it by default). */
export type DisassemblyIsa = "x86_64" | "aarch64" | "riscv64";

/** How one ISA's objdump text reads: its trailing comments and the mnemonics that end a basic block. */
const SYNTAX: Record<DisassemblyIsa, { comment: RegExp; branch: RegExp }> = {
  x86_64: { comment: /\s+#.*$/, branch: /^(?:(?:bnd|notrack)\s+)*(j[a-z]+|call[a-z]*|ret[a-z]*|loop[a-z]*)\b/ },
  // "mov x0, #0x4800  // #18432": immediates carry '#', comments start with "//".
  aarch64: { comment: /\s*\/\/.*$/, branch: /^(?:b|bl|br|blr|ret|cbz|cbnz|tbz|tbnz|b\.[a-z]+)(?=\s|$)/ },
  riscv64: { comment: /\s+#.*$/, branch: /^(?:beqz?|bnez?|blt[zu]?|bge[zu]?|bgtu?|bgtz|bleu?|blez|j|jal|jalr|jr|ret|c\.(?:j|jal|jalr|jr|beqz|bnez))(?=\s|$)/ },
};

/** A direct jump's target as objdump appends it: " 1560 <kernel+0x10>" (after a comma on RISC-V). */
const TARGET = /[\s,]([0-9a-f]+) <[^>]*>$/;

/** Parses `objdump -d --no-show-raw-insn` lines of one function: `    1590:\tmovss  (%rdx),%xmm0`. */
export function parseObjdump(text: string, isa: DisassemblyIsa = "x86_64"): Instruction[] {
  const syntax = SYNTAX[isa];
  const instructions: Instruction[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
    if (!m) continue;
    const body = m[2]!.replace(syntax.comment, "").trim();
    if (!body || body === "(bad)") continue;
    const branch = syntax.branch.exec(body);
    const target = branch ? TARGET.exec(body) : null;
    instructions.push({ address: parseInt(m[1]!, 16), text: body, branch: branch !== null, target: target ? parseInt(target[1]!, 16) : undefined });
  }
  return instructions;
}

/** Splits a function into basic blocks: a block starts at the entry, at every jump target and after every branch. */
export function basicBlocks(instructions: readonly Instruction[]): BasicBlock[] {
  const leaders = new Set<number>();
  instructions.forEach((ins, i) => {
    if (i === 0) leaders.add(ins.address);
    if (ins.target !== undefined) leaders.add(ins.target);
    if (ins.branch && instructions[i + 1]) leaders.add(instructions[i + 1]!.address);
  });
  const blocks: BasicBlock[] = [];
  for (const ins of instructions) {
    if (leaders.has(ins.address) || blocks.length === 0) blocks.push({ start: ins.address, instructions: [] });
    blocks[blocks.length - 1]!.instructions.push(ins);
  }
  return blocks;
}

/** Disassembles one function of a binary with objdump (binutils; the cross objdump for another ISA). */
export async function disassembleFunction(binary: string, fn: string, signal: AbortSignal, objdump = "objdump", isa: DisassemblyIsa = "x86_64"): Promise<Instruction[]> {
  const args = ["-d", "--no-show-raw-insn", `--disassemble=${fn}`, binary];
  const result = await runProcess(objdump, args, { signal, timeoutMs: 60_000 });
  if (result.exitCode !== 0) throw new RunFailure("bad-output", `${objdump} failed on ${binary}: ${result.stderr.trim().slice(-300)}`, { command: result.command, exitCode: result.exitCode });
  const instructions = parseObjdump(result.stdout, isa);
  if (instructions.length === 0) throw new RunFailure("bad-output", `function '${fn}' not found in ${binary} by ${objdump} (is it declared noinline?)`, { command: result.command });
  return instructions;
}
