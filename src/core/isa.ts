/** The instruction sets simlab builds for: the host's natively, the others with a cross gcc, run under QEMU. */
export const ISAS = ["x86_64", "aarch64", "riscv64"] as const;
export type Isa = (typeof ISAS)[number];

/** Node's process.arch → the ISA names `uname -m` and gcc's target triples use. */
const FROM_NODE_ARCH: Readonly<Record<string, Isa>> = { x64: "x86_64", arm64: "aarch64", riscv64: "riscv64" };

export function isIsa(value: unknown): value is Isa {
  return typeof value === "string" && (ISAS as readonly string[]).includes(value);
}

/** The ISA of the machine simlab runs on (undefined on one it cannot build for natively, e.g. ppc64). */
export function hostIsa(): Isa | undefined {
  return FROM_NODE_ARCH[process.arch];
}

/** Whether programs of `isa` run directly on this machine (an unset ISA means the host's). */
export function isHostIsa(isa: Isa | undefined): boolean {
  return isa === undefined || isa === hostIsa();
}
