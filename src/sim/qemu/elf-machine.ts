import { openSync, readSync, closeSync } from "node:fs";
import { RunFailure } from "../../core/contracts.js";

export type QemuIsa = "x86_64" | "aarch64" | "riscv64";

/** ELF e_machine values of the ISAs simlab runs under qemu-user. */
const MACHINES: Record<number, QemuIsa> = { 62: "x86_64", 183: "aarch64", 243: "riscv64" };

/** What qemu-user needs from a 64-bit little-endian ELF file: the ISA (e_machine) and where its code starts. */
export interface ElfHeader {
  isa: QemuIsa;
  /**
   * The lowest p_vaddr of an executable PT_LOAD segment, as in the file; qemu reports the same segment as loaded
   * (qemu_plugin_start_code), so the difference is a position-independent binary's load base. 0 when none.
   */
  textStart: bigint;
}

const PT_LOAD = 1, PF_X = 1;

export function readElfHeader(binary: string): ElfHeader {
  const fd = openSync(binary, "r");
  const read = (length: number, at: number | bigint) => {
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, Number(at));
    return buffer;
  };
  let header: Buffer, phdrs: Buffer;
  try {
    header = read(64, 0);
    phdrs = header.readUInt32BE(0) === 0x7f454c46 && header[4] === 2 ? read(header.readUInt16LE(54) * header.readUInt16LE(56), header.readBigUInt64LE(32)) : Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new RunFailure("bad-output", `${binary} is not an ELF binary`);
  const machine = header.readUInt16LE(18);
  const isa = MACHINES[machine];
  if (!isa) throw new RunFailure("bad-output", `${binary} has ELF machine ${machine}, not x86-64, AArch64 or RISC-V`);
  if (header[4] !== 2) throw new RunFailure("bad-output", `${binary} is a 32-bit ELF; simlab runs 64-bit x86-64, AArch64 and RISC-V binaries`);
  const size = header.readUInt16LE(54);
  let textStart: bigint | undefined;
  for (let at = 0; size > 0 && at + size <= phdrs.length; at += size) {
    if (phdrs.readUInt32LE(at) !== PT_LOAD || !(phdrs.readUInt32LE(at + 4) & PF_X)) continue;
    const vaddr = phdrs.readBigUInt64LE(at + 16);
    if (textStart === undefined || vaddr < textStart) textStart = vaddr;
  }
  return { isa, textStart: textStart ?? 0n };
}

/** The ISA of an ELF binary, read from its header's e_machine (offset 18, little-endian for all three). */
export function elfIsa(binary: string): QemuIsa {
  return readElfHeader(binary).isa;
}
