/**
 * The contract between the sweep engine (src/sweep: spec, pool, cache, store, progress) and its leaves
 * (src/workloads: C generators and build; src/sim: simulator adapters and host timing). It lives on the
 * ground floor so that the leaves and the engine both import it and neither imports the other.
 */

import type { Isa } from "./isa.js";

export type KnobValue = number | string;
export type Knobs = Readonly<Record<string, KnobValue>>;

/** Flat numeric statistics of one run, e.g. { "kernel.Ir": 1.2e6, "total.D1mr": 3400 } or { runtime_min_s: 0.0123 }. */
export type Stats = Record<string, number>;

/** What a variant is before it is built: cheap to compute, and the content its cache key is made of. */
export interface VariantSource {
  /** Files to write into the build folder (name → content), e.g. { "kernel.c": "..." }. */
  files: Readonly<Record<string, string>>;
  /** The full compiler command-line flags (without file names and -o). */
  flags: readonly string[];
  /** The function simulators count "kernel-only" (declared noinline); undefined = whole program only. */
  kernelFunction?: string;
  /** The compiler's identity (first line of `gcc --version`), so a compiler upgrade invalidates the cache. */
  compiler?: string;
  /** The target ISA of a cross build; undefined for the host's (so host keys stay as they were). */
  isa?: Isa;
}

/** A built, runnable variant. */
export interface Program {
  /** Absolute path of the executable. */
  binary: string;
  /** Arguments it runs with. */
  args: readonly string[];
  kernelFunction?: string;
  compiler: string;
  flags: readonly string[];
  /** The source it was compiled from, so the engine can check it is the one the cache key was made of. */
  source?: VariantSource;
  /** The ISA the binary is for; undefined = the host's. Tools that run binaries directly refuse a foreign one. */
  isa?: Isa;
}

/** An operator's schedule space (GEMM, MVM, conv2d) or a user workload (C file with -D knobs, command template). */
export interface Workload {
  /** "gemm" | "mvm" | "conv2d" | "cfile" | "command" */
  readonly kind: string;
  /** Throws SimlabError naming the knob when a value is invalid for this workload. */
  validate(knobs: Knobs): void;
  source(knobs: Knobs): VariantSource;
  /** Compiles `source` into `dir` (honouring `signal`). */
  build(knobs: Knobs, dir: string, signal: AbortSignal): Promise<Program>;
  /** The variant every other is checked against: same shape, plain schedule. */
  reference(knobs: Knobs): Knobs;
}

export interface ToolInfo {
  available: boolean;
  /** e.g. "valgrind-3.19.0"; part of the cache key. */
  version?: string;
  /** Why it is unavailable, with a hint: "valgrind not found (apt-get install valgrind)". */
  reason?: string;
  /** Where the runs happen when that is not this host (a board over ssh): recorded as the runs' host. */
  host?: { cpuModel: string; cores: number; kernel: string };
}

export interface RunContext {
  signal: AbortSignal;
  timeoutMs: number;
  /** A private scratch folder for this run (output files of the simulator go here). */
  workDir: string;
  /** The CPU this run may use (native pins itself there with taskset); undefined = no pinning. */
  cpu?: number;
}

/**
 * A simulator adapter or the host measurement ("native"). `run` throws RunFailure on a crash, timeout,
 * checksum mismatch or unparsable output; it never leaves a child process behind (kill the process group).
 */
export interface Tool {
  /** "native" | "cachegrind" | "callgrind" | "cmd:<name>" */
  readonly name: string;
  /**
   * True when a run must have the machine to itself (native timing): the engine should not run other work
   * concurrently with it, or the measured times include the competition for cores and caches.
   */
  readonly exclusive?: boolean;
  probe(): Promise<ToolInfo>;
  /** Options that change this tool's results (cache geometry, flags), for the cache key. */
  cacheKey(): string;
  run(program: Program, ctx: RunContext): Promise<RunOutput>;
  /** Releases what the tool holds beyond its runs (a connection, a folder on a board); the sweep calls it at its end. */
  close?(): Promise<void>;
}

export interface RunOutput {
  stats: Stats;
  /** The checksum the variant printed, compared with the reference variant's. */
  checksum?: string;
  /** Wall time of the whole run in seconds (including simulator start-up). */
  wallSeconds: number;
}

export type FailureReason = "crash" | "timeout" | "bad-output" | "checksum" | "build" | "cancelled" | "unavailable";

/** A run that failed in a way the sweep records and goes on from. */
export class RunFailure extends Error {
  override readonly name = "RunFailure";
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly details: { exitCode?: number | null; signal?: string | null; stderrTail?: string; command?: string } = {},
  ) {
    super(message);
  }
}
