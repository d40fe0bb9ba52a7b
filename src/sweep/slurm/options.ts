import { SimlabError } from "../../core/errors.js";
import { closest } from "../../core/suggest.js";
import { isRecord } from "../../core/guards.js";

/** `backend: {slurm: {…}}` in a spec: how simulator runs become Slurm job-array tasks. */
export interface SlurmOptions {
  partition?: string;
  account?: string;
  /** Each task's `--time`, in Slurm's format ("30", "1:00:00", "2-00:00:00"). */
  timeLimit?: string;
  /** CPUs per task; a task runs this many of its runs at once (default 1). */
  cpusPerTask: number;
  /** Tasks of one array running at once (`--array=0-N%M`); default: Slurm's limit. */
  maxConcurrent?: number;
  /** Runs per task (default 4): fewer tasks for the scheduler, each amortising simlab's start. */
  chunk: number;
  /** Extra sbatch arguments, e.g. ["--qos=short", "--mem=2G"]. */
  sbatchArgs: string[];
  /** The shared work directory (tasks write results there); default: beside the store, `<db>.slurm/<sweep>`. */
  workdir?: string;
  /** How a node starts simlab; default: this node and simlab's own main.js (a shared install), e.g. "simlab". */
  command?: string;
  /** Seconds between looks at the queue and the results (default 0.5). */
  pollSeconds: number;
}

export const DEFAULT_CHUNK = 4;
const FIELDS = ["partition", "account", "timeLimit", "cpusPerTask", "maxConcurrent", "chunk", "sbatchArgs", "workdir", "command", "pollSeconds"];
const HINT = 'e.g. "backend": {"slurm": {"partition": "debug", "timeLimit": "30", "chunk": 4, "maxConcurrent": 8}}';
/** minutes | minutes:seconds | hours:minutes:seconds | days-hours[:minutes[:seconds]] (sbatch --time). */
const TIME_LIMIT = /^(\d+-)?\d+(:\d+){0,2}$/;

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? text.slice(0, 40) + "…" : text;
}

/** The spec's `backend` field, validated: undefined (the local pool) or the Slurm options. */
export function parseBackend(origin: string, raw: unknown): { slurm: SlurmOptions } | undefined {
  const fail = (path: string, problem: string, hint = HINT): never => {
    throw new SimlabError(`${origin}: ${path}: ${problem}`, hint);
  };
  if (raw === undefined || raw === "local") return undefined;
  if (raw === "slurm") return { slurm: parseSlurm({}, fail) };
  if (!isRecord(raw)) return fail("backend", `expected "local", "slurm" or {"slurm": {options}}, got ${show(raw)}`);
  for (const key of Object.keys(raw)) if (key !== "slurm") fail(`backend.${key}`, `unknown backend${closest(key, ["slurm"]) ? " (did you mean 'slurm'?)" : ""}`, "backends are local (the default) and slurm");
  if (raw.slurm === undefined) return undefined;
  if (!isRecord(raw.slurm)) return fail("backend.slurm", `expected an object of options, got ${show(raw.slurm)}`);
  return { slurm: parseSlurm(raw.slurm, fail) };
}

function parseSlurm(o: Record<string, unknown>, fail: (path: string, problem: string, hint?: string) => never): SlurmOptions {
  for (const key of Object.keys(o)) {
    if (FIELDS.includes(key)) continue;
    const near = closest(key, FIELDS);
    fail(`backend.slurm.${key}`, `unknown field${near ? ` (did you mean '${near}'?)` : ""}`, `allowed fields: ${FIELDS.join(", ")}`);
  }
  const text = (name: string, pattern = /^\S+$/): string | undefined => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !pattern.test(v)) fail(`backend.slurm.${name}`, `expected a word without spaces, got ${show(v)}`);
    return v as string;
  };
  const int = (name: string, fallback?: number): number | undefined => {
    const v = o[name];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) fail(`backend.slurm.${name}`, `expected an integer ≥ 1, got ${show(v)}`);
    return v as number;
  };
  const timeLimit = o.timeLimit === undefined ? undefined : typeof o.timeLimit === "number" ? String(o.timeLimit) : o.timeLimit;
  if (timeLimit !== undefined && (typeof timeLimit !== "string" || !TIME_LIMIT.test(timeLimit))) {
    fail("backend.slurm.timeLimit", `expected a Slurm time limit, got ${show(o.timeLimit)}`, 'minutes ("30"), "hours:minutes:seconds" ("1:00:00") or "days-hours" ("2-00")');
  }
  const sbatchArgs = o.sbatchArgs ?? [];
  if (!Array.isArray(sbatchArgs) || !sbatchArgs.every((a) => typeof a === "string" && a.startsWith("-"))) {
    fail("backend.slurm.sbatchArgs", `expected a list of sbatch options like ["--qos=short"], got ${show(o.sbatchArgs)}`);
  }
  const command = o.command;
  if (command !== undefined && (typeof command !== "string" || command.trim() === "")) fail("backend.slurm.command", `expected a command line, got ${show(command)}`, 'e.g. "simlab" (on the nodes\' PATH)');
  const poll = o.pollSeconds ?? 0.5;
  if (typeof poll !== "number" || !(poll >= 0.05 && poll <= 600)) fail("backend.slurm.pollSeconds", `expected seconds between 0.05 and 600, got ${show(poll)}`);
  const workdir = o.workdir;
  if (workdir !== undefined && (typeof workdir !== "string" || workdir === "")) fail("backend.slurm.workdir", `expected a folder path, got ${show(workdir)}`, "a folder every node sees (a shared filesystem)");
  return {
    partition: text("partition"),
    account: text("account"),
    timeLimit: timeLimit as string | undefined,
    cpusPerTask: int("cpusPerTask", 1)!,
    maxConcurrent: int("maxConcurrent"),
    chunk: int("chunk", DEFAULT_CHUNK)!,
    sbatchArgs: sbatchArgs as string[],
    workdir: workdir as string | undefined,
    command: command as string | undefined,
    pollSeconds: poll as number,
  };
}
