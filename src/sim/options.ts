import type { CacheGeometry } from "./cache-geometry.js";

/** Options of the tools made by `toolFor`; each tool reads the ones that concern it. */
export interface ToolOptions {
  /** native: measure on this board over ssh instead of on this host. */
  target?: SshTarget;
  /** native: CPU to pin runs to when the RunContext gives none (taskset -c). */
  cpu?: number;
  /** native: timed repetitions inside the binary (default 7). */
  reps?: number;
  /** native: untimed warm-up runs before them (default 1). */
  warmup?: number;
  /** cachegrind/callgrind/qemu: cache geometry to simulate (default: the host's, read from sysfs). */
  geometry?: CacheGeometry;
  /** cachegrind (default true) / callgrind (default false): simulate branch predictors. */
  branchSim?: boolean;
  /** callgrind: simulate caches too (default false: instruction counts only, faster). */
  cacheSim?: boolean;
  /** cachegrind/callgrind: the valgrind executable (default "valgrind"). */
  valgrind?: string;
  /** cachegrind/callgrind: extra valgrind arguments, e.g. ["--instr-at-start=no"]. */
  extraArgs?: readonly string[];
  /** native: the confirmation phase, {within, rounds, stable} or true (see src/sim/confirm.ts); the sweep runs it. */
  confirm?: unknown;
  /** mca: the CPU llvm-mca models (default: the host as llvm sees it, e.g. "znver3"; neoverse-n1 for AArch64 binaries, sifive-u74 for RISC-V). */
  mcpu?: string;
  /** mca: the target triple, e.g. "aarch64" (default: llvm's host triple; the binary's ISA for AArch64 and RISC-V). */
  mtriple?: string;
  /** mca: the llvm-mca executable (default: llvm-mca-16, else llvm-mca). */
  llvmMca?: string;
  /**
   * qemu: simulate the I1/D1/LL caches (default true). false gives Ir, Dr, Dw and Bc only, from inline
   * counters, at about the speed of plain QEMU; true adds I1mr D1mr D1mw ILmr DLmr DLmw (callbacks per access).
   */
  cacheModel?: boolean;
  /** qemu: how the qemu-user executables are named, `<prefix><isa>` (default "qemu-", i.e. qemu-aarch64 on PATH). */
  qemuPrefix?: string;
}

/** A board reached over ssh: native runs happen there instead of on this host. */
export interface SshTarget {
  /** "user@host" or "host". */
  ssh: string;
  port?: number;
  /** The ISA the board must report with `uname -m` (e.g. "aarch64"); checked before any run. */
  isa?: string;
  /** CPU to pin to on the board (taskset -c, when the board has taskset). */
  cpu?: number;
  /** Private key file (ssh -i). */
  identity?: string;
  /** known_hosts file (default: ssh's own); new host keys are accepted into it, changed ones refused. */
  knownHosts?: string;
}
