import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { SimlabError } from "../core/errors.js";
import { closest } from "../core/suggest.js";
import { catalog, type Catalog, type KnobDomain } from "./catalog.js";
import type { KnobValue } from "../core/contracts.js";
import { isRecord } from "../core/guards.js";
import { parseSshTarget, type SshTarget } from "../sim/index.js";
import { parseTarget } from "./target.js";
import { ISAS, type Isa } from "../core/isa.js";
import { parseBackend, type SlurmOptions } from "./slurm/options.js";

/**
 * A sweep: workloads, each with a space (knob → values) swept as a full grid or a seeded sample, run under
 * every tool. The same object comes from a JSON file or from `%sweep`'s inline options.
 */
export interface SweepSpec {
  name: string;
  workloads: WorkloadSpec[];
  /** e.g. ["native", "cachegrind"]. */
  tools: string[];
  /**
   * Target ISAs every workload is built for (cross-compiled when not the host's); undefined = the host's alone,
   * with the points, groups and cache keys of a sweep that never heard of ISAs.
   */
  isa?: Isa[];
  options: SweepOptions;
  /** Measure natively on this board over ssh instead of on this host. */
  target?: SshTarget;
  /** Where simulator runs happen: the local pool (undefined) or Slurm job arrays. */
  backend?: { slurm: SlurmOptions };
}

export interface WorkloadSpec {
  /** "gemm" | "mvm" | "conv2d" | "cfile" | "command" */
  kind: string;
  space: Record<string, KnobValue[]>;
  /** A seeded random sample of the space instead of its full grid. */
  sample?: { n: number; seed: number };
  /** Explicit points (e.g. a tuner's picks) instead of the grid; the grid of `space` still names the groups. */
  points?: Record<string, KnobValue>[];
  /** Passed to the workload: cc, flags, file (cfile), build/run templates (command). */
  options: Record<string, unknown>;
  /** This workload's target ISAs, replacing the sweep's `isa`. */
  isa?: Isa[];
}

export interface SweepOptions {
  /** Concurrent runs (default: number of cores). */
  jobs?: number;
  /** Per-run timeout in seconds (default 120). */
  timeout: number;
  /** Extra attempts for a run that crashed or timed out (default 0). */
  retries: number;
  /** Timed repetitions of a native run (default: the native tool's own). */
  reps?: number;
  /** Re-measure the reference variant natively after every this many native runs (0 = never; default 10). */
  driftEvery: number;
  /** Options per tool, e.g. { "cachegrind": { "branchSim": false } }. */
  tools: Record<string, Record<string, unknown>>;
  /** The most points a sweep may have (default 1,000,000): a larger space is refused before it is expanded. */
  maxPoints?: number;
}

export const DEFAULT_TIMEOUT_S = 120;
export const DEFAULT_DRIFT_EVERY = 10;
export const DEFAULT_MAX_POINTS = 1_000_000;
/** Node's timers hold at most 2^31-1 ms (24.8 days); a run's watchdog adds a few seconds to its timeout. */
export const MAX_TIMEOUT_S = 2_000_000;

/** A per-run timeout in seconds, checked: a positive number a timer can hold. */
export function checkTimeout(what: string, value: number): number {
  if (!(value > 0) || !(value <= MAX_TIMEOUT_S)) {
    throw new SimlabError(`${what}: expected a number of seconds above 0 and at most ${MAX_TIMEOUT_S}, got ${show(value)}`, "e.g. --timeout 600 (10 minutes)");
  }
  return value;
}

const HINT = "see datasets/specs/gemm-24.json for an example spec";

function fail(origin: string, path: string, problem: string, hint = HINT): never {
  throw new SimlabError(`${origin}: ${path}: ${problem}`, hint);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? text.slice(0, 40) + "…" : text;
}


function checkKeys(origin: string, path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const near = closest(key, allowed);
    fail(origin, `${path}${path ? "." : ""}${key}`, `unknown field${near ? ` (did you mean '${near}'?)` : ""}`, `allowed fields: ${allowed.join(", ")}`);
  }
}

function integer(origin: string, path: string, value: unknown, min: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    fail(origin, path, `expected an integer ≥ ${min}, got ${show(value)}`);
  }
  return value;
}

function knobValues(origin: string, path: string, raw: unknown, domain: KnobDomain | undefined): KnobValue[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail(origin, path, "expected at least one value");
  const type = domain?.type;
  if (type === "integer") {
    if (!list.every((v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) {
      const bad = list.find((v) => !(typeof v === "number" && Number.isSafeInteger(v) && v >= 0));
      fail(origin, path, `expected a list of non-negative integers, got ${show(bad)}`, `${domain!.name}: ${domain!.help}`);
    }
  } else if (type === "choice" && domain?.values) {
    const bad = list.find((v) => !domain.values!.includes(v as KnobValue));
    if (bad !== undefined) {
      const near = typeof bad === "string" ? closest(bad, domain.values.map(String)) : undefined;
      fail(origin, path, `${show(bad)} is not one of ${domain.values.join(", ")}${near ? ` (did you mean '${near}'?)` : ""}`, `${domain.name}: ${domain.help}`);
    }
  } else {
    const bad = list.find((v) => typeof v !== "number" && typeof v !== "string");
    if (bad !== undefined) fail(origin, path, `expected a list of numbers or strings, got ${show(bad)}`);
  }
  if (new Set(list).size !== list.length) fail(origin, path, `lists a value twice: ${show(list)}`);
  return list as KnobValue[];
}

function parseWorkload(origin: string, path: string, raw: unknown, cat: Catalog): WorkloadSpec {
  if (!isRecord(raw)) fail(origin, path, `expected an object like {"kind": "gemm", "space": {...}}, got ${show(raw)}`);
  checkKeys(origin, path, raw, ["kind", "space", "sample", "points", "options", "isa"]);
  const kinds = cat.workloadKinds();
  if (typeof raw.kind !== "string" || !kinds.includes(raw.kind)) {
    const near = typeof raw.kind === "string" ? closest(raw.kind, kinds) : undefined;
    fail(origin, `${path}.kind`, `unknown workload ${show(raw.kind)}${near ? ` (did you mean '${near}'?)` : ""}`, `workloads are ${kinds.join(", ")}`);
  }
  const kind = raw.kind;
  const options = raw.options === undefined ? {} : raw.options;
  if (!isRecord(options)) fail(origin, `${path}.options`, `expected an object, got ${show(options)}`);
  const domains = cat.knobDomains(kind);
  const names = domains.map((d) => d.name);
  const spaceRaw = raw.space ?? {};
  if (!isRecord(spaceRaw)) fail(origin, `${path}.space`, `expected an object of knob → list of values, got ${show(spaceRaw)}`);
  const space: Record<string, KnobValue[]> = {};
  for (const [knob, values] of Object.entries(spaceRaw)) {
    const domain = domains.find((d) => d.name === knob);
    if (!domain && domains.length > 0) {
      const near = closest(knob, names);
      fail(origin, `${path}.space.${knob}`, `unknown knob for ${kind}${near ? ` (did you mean '${near}'?)` : ""}`, `${kind} knobs are ${names.join(", ")}`);
    }
    space[knob] = knobValues(origin, `${path}.space.${knob}`, values, domain);
  }
  let sample: WorkloadSpec["sample"];
  if (raw.sample !== undefined) {
    if (!isRecord(raw.sample)) fail(origin, `${path}.sample`, `expected {"n": count, "seed": number}, got ${show(raw.sample)}`);
    checkKeys(origin, `${path}.sample`, raw.sample, ["n", "seed"]);
    sample = { n: integer(origin, `${path}.sample.n`, raw.sample.n, 1), seed: integer(origin, `${path}.sample.seed`, raw.sample.seed, 0, 0) };
  }
  let points: WorkloadSpec["points"];
  if (raw.points !== undefined) {
    if (sample) fail(origin, `${path}.points`, "cannot be combined with sample");
    if (!Array.isArray(raw.points) || raw.points.length === 0) fail(origin, `${path}.points`, `expected a non-empty list of knob settings, got ${show(raw.points)}`);
    points = raw.points.map((p, i) => {
      if (!isRecord(p)) fail(origin, `${path}.points[${i}]`, `expected an object of knob → value, got ${show(p)}`);
      const knobs: Record<string, KnobValue> = {};
      for (const [knob, value] of Object.entries(p)) {
        const domain = domains.find((d) => d.name === knob);
        if (!domain && domains.length > 0) fail(origin, `${path}.points[${i}].${knob}`, `unknown knob for ${kind}`, `${kind} knobs are ${names.join(", ")}`);
        knobs[knob] = knobValues(origin, `${path}.points[${i}].${knob}`, [value], domain)[0]!;
      }
      return knobs;
    });
  }
  const isa = parseIsa(origin, `${path}.isa`, raw.isa);
  return { kind, space, sample, ...(points ? { points } : {}), options, ...(isa ? { isa } : {}) };
}

/** `"aarch64"` or `["x86_64", "riscv64"]` → a list of distinct ISAs; undefined stays undefined (the host's). */
export function parseIsa(origin: string, path: string, raw: unknown): Isa[] | undefined {
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const hint = `isa is one of ${ISAS.join(", ")}, or a list of them`;
  if (list.length === 0) fail(origin, path, "expected at least one ISA", hint);
  list.forEach((value, i) => {
    if (typeof value === "string" && (ISAS as readonly string[]).includes(value)) return;
    const near = typeof value === "string" ? closest(value, ISAS) : undefined;
    fail(origin, Array.isArray(raw) ? `${path}[${i}]` : path, `unknown ISA ${show(value)}${near ? ` (did you mean '${near}'?)` : ""}`, hint);
  });
  if (new Set(list).size !== list.length) fail(origin, path, `lists an ISA twice: ${show(list)}`, hint);
  return list as Isa[];
}

function parseTools(origin: string, raw: unknown, cat: Catalog): string[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(origin, "tools", `expected a non-empty list of tool names, got ${show(raw)}`, `tools are ${cat.toolNames().join(", ")}`);
  const known = cat.toolNames();
  raw.forEach((tool, i) => {
    if (typeof tool === "string" && (known.includes(tool) || /^cmd:\S+/.test(tool))) return;
    const near = typeof tool === "string" ? closest(tool, known) : undefined;
    fail(origin, `tools[${i}]`, `unknown tool ${show(tool)}${near ? ` (did you mean '${near}'?)` : ""}`, `tools are ${known.join(", ")} or cmd:<command>`);
  });
  if (new Set(raw).size !== raw.length) fail(origin, "tools", `lists a tool twice: ${show(raw)}`);
  return raw as string[];
}

function parseOptions(origin: string, raw: unknown): SweepOptions {
  const o = raw ?? {};
  if (!isRecord(o)) fail(origin, "options", `expected an object, got ${show(o)}`);
  checkKeys(origin, "options", o, ["jobs", "timeout", "retries", "reps", "driftEvery", "tools", "maxPoints"]);
  const tools = o.tools ?? {};
  if (!isRecord(tools) || !Object.values(tools).every(isRecord)) fail(origin, "options.tools", `expected {"<tool>": {options}}, got ${show(tools)}`);
  return {
    jobs: o.jobs === undefined ? undefined : integer(origin, "options.jobs", o.jobs, 1),
    timeout: timeoutSeconds(origin, o.timeout),
    retries: integer(origin, "options.retries", o.retries, 0, 0),
    reps: o.reps === undefined ? undefined : integer(origin, "options.reps", o.reps, 1),
    driftEvery: integer(origin, "options.driftEvery", o.driftEvery, 0, DEFAULT_DRIFT_EVERY),
    tools: tools as Record<string, Record<string, unknown>>,
    maxPoints: integer(origin, "options.maxPoints", o.maxPoints, 1, DEFAULT_MAX_POINTS),
  };
}

function timeoutSeconds(origin: string, value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S;
  if (typeof value !== "number" || !(value > 0) || !(value <= MAX_TIMEOUT_S)) {
    fail(origin, "options.timeout", `expected a number of seconds above 0 and at most ${MAX_TIMEOUT_S}, got ${show(value)}`, "e.g. 600 (10 minutes)");
  }
  return value;
}

/**
 * Validates a spec object. Every problem is one SimlabError naming the field path, e.g.
 * `gemm.json: workloads[0].space.tm: expected a list of non-negative integers, got "x"`.
 */
export function parseSpec(raw: unknown, origin = "spec", options: { defaultName?: string; catalog?: Catalog } = {}): SweepSpec {
  const cat = options.catalog ?? catalog;
  if (!isRecord(raw)) fail(origin, "(root)", `expected a JSON object, got ${show(raw)}`);
  checkKeys(origin, "", raw, ["name", "workloads", "tools", "isa", "options", "target", "backend"]);
  const name = raw.name ?? options.defaultName;
  if (typeof name !== "string" || !/^[\w.@:+-]+$/.test(name)) {
    fail(origin, "name", `expected a name of letters, digits and . _ - : + @, got ${show(name)}`);
  }
  if (!Array.isArray(raw.workloads) || raw.workloads.length === 0) {
    fail(origin, "workloads", `expected a non-empty list of workloads, got ${show(raw.workloads)}`);
  }
  const workloads = raw.workloads.map((w, i) => parseWorkload(origin, `workloads[${i}]`, w, cat));
  const tools = parseTools(origin, raw.tools, cat);
  const isa = parseIsa(origin, "isa", raw.isa);
  workloads.forEach((w, i) => {
    // With an ISA the point's stored coordinates gain an `isa` entry: a knob of that name would be ambiguous.
    if ((w.isa ?? isa) !== undefined && "isa" in w.space) fail(origin, `workloads[${i}].space.isa`, "a knob cannot be named isa when the sweep targets ISAs", "rename the knob");
  });
  const target = raw.target === undefined ? {} : { target: parseTarget(origin, raw.target) };
  const backend = parseBackend(origin, raw.backend);
  return { name, workloads, tools, ...(isa ? { isa } : {}), options: parseOptions(origin, raw.options), ...target, ...(backend ? { backend } : {}) };
}

/** The ISAs a workload of the spec is built for (undefined: the host's, implicitly). */
export function workloadIsas(spec: SweepSpec, workload: WorkloadSpec): Isa[] | undefined {
  return workload.isa ?? spec.isa;
}

/** Reads and validates a spec file; its name defaults to the file's base name. */
export function loadSpecFile(path: string, options: { catalog?: Catalog } = {}): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SimlabError(`cannot read spec ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "check the path");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SimlabError(`${path}: not valid JSON: ${(e as Error).message}`, HINT);
  }
  return parseSpec(raw, basename(path), { defaultName: basename(path, extname(path)), catalog: options.catalog });
}

/**
 * Parses an inline space, `"M=64,128 order=ijk,ikj"`: knob=comma-separated values, separated by spaces;
 * values that look like integers become numbers. Used by `%sweep --space` and `simlab sweep --space`.
 */
export function parseSpaceText(text: string): Record<string, KnobValue[]> {
  const space: Record<string, KnobValue[]> = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const match = /^([^=\s]+)=(.+)$/.exec(word);
    if (!match) throw new SimlabError(`--space: '${word}' is not knob=value[,value...]`, `e.g. --space "M=64,128 order=ijk,ikj"`);
    space[match[1]!] = match[2]!.split(",").map((v) => (/^-?\d+$/.test(v) ? Number(v) : v));
  }
  return space;
}

/** A sweep as command-line / magic arguments: a spec file, or one workload given inline. */
export interface SweepArgs {
  spec?: string;
  name?: string;
  workload?: string;
  /** Inline space text, "M=64,128 order=ijk,ikj". */
  space?: string;
  tools?: readonly string[];
  sample?: number;
  seed?: number;
  retries?: number;
  reps?: number;
  timeout?: number;
  /** `ssh:user@host[:port]`: native runs on that board. */
  target?: string;
  /** Target ISAs (the sweep's `isa`; with a spec file it replaces the file's). */
  isa?: readonly string[];
  /** "local" or "slurm": overrides the spec's backend ("slurm" keeps the spec's Slurm options if it has them). */
  backend?: string;
}

/**
 * The spec `simlab sweep` and `%sweep` run: the file's, or one built from the inline options (named after
 * its content when no name is given, so the same line resumes the same sweep); --retries/--reps/--timeout
 * override the spec's options.
 */
export function specFromArgs(args: SweepArgs, options: { catalog?: Catalog } = {}): SweepSpec {
  return withBackend(specOf(args, options), args.backend);
}

function withBackend(spec: SweepSpec, backend: string | undefined): SweepSpec {
  if (backend === undefined) return spec;
  if (backend === "local") return { ...spec, backend: undefined };
  if (backend === "slurm") return { ...spec, backend: spec.backend ?? parseBackend("--backend", "slurm") };
  const near = closest(backend, ["local", "slurm"]);
  throw new SimlabError(`--backend: unknown backend '${backend}'${near ? ` (did you mean '${near}'?)` : ""}`, "backends are local (the default) and slurm");
}

function specOf(args: SweepArgs, options: { catalog?: Catalog }): SweepSpec {
  const overrides = { retries: args.retries, reps: args.reps, timeout: args.timeout };
  if (args.spec !== undefined) {
    const inlineOnly = (["workload", "space", "tools", "sample", "seed"] as const).filter((k) => args[k] !== undefined);
    if (inlineOnly.length > 0) throw new SimlabError(`--${inlineOnly[0]} cannot be combined with a spec file`, "put it in the spec file, or leave out the file");
    const spec = loadSpecFile(args.spec, options);
    const raw = { ...spec, name: args.name ?? spec.name, ...(args.isa ? { isa: args.isa } : {}), options: { ...spec.options, ...definedOnly(overrides) }, ...targetOf(args, spec.target) };
    return parseSpec(raw, args.spec, options);
  }
  if (args.workload === undefined) throw new SimlabError("give a spec file or --workload", "e.g. --workload gemm --space \"M=64 order=ijk,ikj\" --tools native,cachegrind");
  const workload = { kind: args.workload, space: parseSpaceText(args.space ?? ""), ...(args.sample === undefined ? {} : { sample: { n: args.sample, seed: args.seed ?? 0 } }) };
  const tools = args.tools ?? ["native", "cachegrind"];
  const target = targetOf(args);
  // A board's runs, and the ISAs when given, join the derived name, so an inline sweep without them keeps its old name.
  const named = [workload, tools, ...(target.target ? [target.target] : []), ...(args.isa === undefined ? [] : [args.isa])];
  const name = args.name ?? `${args.workload}-${createHash("sha256").update(JSON.stringify(named)).digest("hex").slice(0, 8)}`;
  return parseSpec({ name, workloads: [workload], tools, ...(args.isa ? { isa: args.isa } : {}), options: definedOnly(overrides), ...target }, args.isa ? "--space/--tools/--isa" : "--space/--tools", options);
}

/** --target ssh:user@host[:port] replaces the spec's board address and port; its isa, cpu and keys stay. */
function targetOf(args: SweepArgs, spec?: SshTarget): { target?: SshTarget } {
  if (args.target === undefined) return {};
  const { ssh: _ssh, port: _port, ...rest } = spec ?? { ssh: "" };
  return { target: { ...rest, ...parseSshTarget(args.target) } };
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
