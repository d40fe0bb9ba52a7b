import { openSync, readSync, closeSync } from "node:fs";
import { RunFailure } from "../../core/contracts.js";

export type QemuIsa = "x86_64" | "aarch64" | "riscv64";

/** ELF e_machine values of the ISAs simlab runs under qemu-user. */
const MACHINES: Record<number, QemuIsa> = { 62: "x86_64", 183: "aarch64", 243: "riscv64" };

/** The ISA of an ELF binary, read from its header's e_machine (offset 18, little-endian for all three). */
export function elfIsa(binary: string): QemuIsa {
  const header = Buffer.alloc(20);
  const fd = openSync(binary, "r");
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new RunFailure("bad-output", `${binary} is not an ELF binary`);
  const machine = header.readUInt16LE(18);
  const isa = MACHINES[machine];
  if (!isa) throw new RunFailure("bad-output", `${binary} has ELF machine ${machine}, not x86-64, AArch64 or RISC-V`);
  return isa;
}
