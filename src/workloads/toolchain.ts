import { RunFailure } from "../core/contracts.js";
import { isHostIsa, type Isa } from "../core/isa.js";
import { compilerIdentity, DEFAULT_CC, DEFAULT_FLAGS, findCompilerIdentity } from "./compiler.js";
import type { WorkloadOptions } from "./options.js";

/**
 * What a cross build adds to the workload's flags. `-static`: qemu-user (and a bare board) has no target
 * libc to load. `-ffp-contract=off`: aarch64 and riscv64 gcc fuse a*b+c into FMAs by default (x86-64's
 * baseline has no FMA), which would make a user's floating-point checksums differ across ISAs in the last bits.
 */
export const CROSS_FLAGS: readonly string[] = ["-static", "-ffp-contract=off"];

/** The Debian packages of a cross gcc and its static libc. */
const PACKAGES: Readonly<Record<Isa, string>> = {
  x86_64: "gcc-x86-64-linux-gnu libc6-dev-amd64-cross",
  aarch64: "gcc-aarch64-linux-gnu libc6-dev-arm64-cross",
  riscv64: "gcc-riscv64-linux-gnu libc6-dev-riscv64-cross",
};

/** The compiler and flags a workload builds with for one ISA. */
export interface Toolchain {
  /** The cross target; undefined for the host. */
  isa?: Isa;
  cc: string;
  flags: readonly string[];
  /**
   * The compiler's identity for the cache key. The host's compiler missing is a SimlabError (nothing can be
   * built); a missing cross compiler gives a placeholder, so that ISA's runs fail one by one and the others run.
   */
  identity(): string;
  /** Throws RunFailure("build") naming the apt packages when the (cross) compiler is missing. */
  checkPresent(): void;
}

/** The host's compiler (`cc` option, default gcc) and flags, or for another ISA `<isa>-linux-gnu-gcc` with CROSS_FLAGS. */
export function toolchainFor(isa: Isa | undefined, options: WorkloadOptions): Toolchain {
  const flags = options.flags ?? DEFAULT_FLAGS;
  if (isHostIsa(isa)) {
    const cc = options.cc ?? DEFAULT_CC;
    return { cc, flags, identity: () => compilerIdentity(cc), checkPresent: () => void compilerIdentity(cc) };
  }
  const target = isa!;
  // `cc` names the host compiler; a cross build always uses the triple's gcc (one option cannot serve three ISAs).
  const cc = `${target}-linux-gnu-gcc`;
  return {
    isa: target,
    cc,
    flags: [...flags, ...CROSS_FLAGS],
    identity: () => findCompilerIdentity(cc) ?? `${cc} not found`,
    checkPresent() {
      if (findCompilerIdentity(cc) === undefined) throw new RunFailure("build", `${cc} not found: building for ${target} needs it (apt-get install ${PACKAGES[target]})`);
    },
  };
}
