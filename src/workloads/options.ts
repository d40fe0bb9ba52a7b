import { SimlabError } from "../core/errors.js";
import { closest } from "../core/suggest.js";
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

type OptionName = keyof WorkloadOptions;

const HINT = `e.g. "options": {"cc": "gcc", "flags": ["-O3", "-march=x86-64-v3"]}`;

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? text.slice(0, 40) + "…" : text;
}

/**
 * Checks a workload's options against what its kind takes (`allowed`), so a mistake such as `"flags": "-O3"`
 * (a string where a list is expected) is one SimlabError naming the option instead of a strange compile.
 */
export function checkWorkloadOptions(kind: string, raw: unknown, allowed: readonly OptionName[]): WorkloadOptions {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new SimlabError(`${kind}: expected an object of options, got ${show(raw)}`, HINT);
  const options = raw as Record<string, unknown>;
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(allowed as readonly string[]).includes(name)) {
      const near = closest(name, allowed);
      throw new SimlabError(`${kind}: unknown option '${name}'${near ? ` (did you mean '${near}'?)` : ""}`, `${kind} takes ${allowed.join(", ")}`);
    }
    if (name === "flags") {
      if (!Array.isArray(value) || !value.every((f) => typeof f === "string")) throw new SimlabError(`${kind}: flags: expected a list of strings, got ${show(value)}`, HINT);
    } else if (name === "reference") {
      const ok = typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "number" || typeof v === "string");
      if (!ok) throw new SimlabError(`${kind}: reference: expected knob values like {"N": 64}, got ${show(value)}`, "the knobs that make a variant the reference one");
    } else if (typeof value !== "string" || value.trim() === "") {
      throw new SimlabError(`${kind}: ${name}: expected a non-empty string, got ${show(value)}`, HINT);
    }
  }
  return options as WorkloadOptions;
}
