import type { Knobs } from "../core/contracts.js";

/** Options of a workload: compiler and flags for all; the user's file or command templates for cfile/command. */
export interface WorkloadOptions {
  /** C compiler (default "gcc"). */
  cc?: string;
  /** Compiler flags replacing the default `-O2 -std=gnu11`. */
  flags?: readonly string[];
  /** cfile: path of the user's C file. */
  file?: string;
  /** command: build command template, e.g. "gcc -O2 -DN={n} {src} -o {bin}" (optional). */
  build?: string;
  /** command: run command template, e.g. "{bin}" or "python3 bench.py --n {n}". */
  run?: string;
  /** cfile/command: the function simulators count alone (default "kernel"). */
  kernel?: string;
  /** cfile/command: knob values that make a variant the reference one (default: every variant is its own). */
  reference?: Knobs;
}
