import type { OptionSpec, ParsedArgs, PositionalSpec } from "../args/types.js";
import { specFromArgs, type SweepSpec } from "./spec.js";
import { ISAS } from "../core/isa.js";

/**
 * The arguments of a sweep, declared once for the `%sweep` magic and the `simlab sweep` command, so both take
 * the same options with the same types, help and errors.
 */
export const sweepPositionals: readonly PositionalSpec[] = [{ name: "spec", type: "string", help: "a sweep spec (JSON file)" }];

export const sweepOptions: readonly OptionSpec[] = [
  { name: "db", type: "string", help: "the SQLite store to write", default: "simlab.db" },
  { name: "workload", short: "w", type: "string", help: "inline sweep: the workload kind (gemm, mvm, conv2d, cfile, command)" },
  { name: "space", short: "s", type: "string", help: 'inline sweep: knob values, e.g. "M=64,128 order=ijk,ikj"' },
  { name: "tools", short: "t", type: "list", help: "inline sweep: tools (default native,cachegrind)" },
  { name: "isa", type: "list", choices: ISAS, help: "target ISAs, e.g. aarch64,riscv64 (default: the host's); others are cross-compiled -static and run under the qemu tool" },
  { name: "sample", type: "integer", help: "inline sweep: a seeded random sample of this many points instead of the grid" },
  { name: "seed", type: "integer", help: "inline sweep: the sample's seed (default 0)" },
  { name: "name", type: "string", help: "the sweep's name in the store (default: the spec's, or derived from the inline space)" },
  { name: "jobs", short: "j", type: "integer", help: "concurrent runs (default: number of cores)" },
  { name: "timeout", type: "number", help: "per-run timeout in seconds" },
  { name: "retries", type: "integer", help: "extra attempts for runs that crash or time out" },
  { name: "reps", type: "integer", help: "timed repetitions of each native run" },
  { name: "target", type: "string", help: "measure natively on a board over ssh: ssh:user@host[:port] (the key must work without a password)" },
  { name: "backend", type: "string", help: "where simulator runs happen: local (a pool of --jobs) or slurm (job arrays; native runs stay local)" },
  { name: "confirm", type: "boolean", default: false, help: "re-measure each group's near-fastest variants (within 5 %) interleaved until their order is stable" },
];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** The sweep the parsed arguments describe, with the store and concurrency to run it with. */
export function sweepFromArgs(args: ParsedArgs): { spec: SweepSpec; db: string; jobs?: number } {
  const spec = specFromArgs({
    spec: str(args.spec),
    name: str(args.name),
    workload: str(args.workload),
    space: str(args.space),
    tools: Array.isArray(args.tools) ? args.tools : undefined,
    sample: num(args.sample),
    seed: num(args.seed),
    retries: num(args.retries),
    reps: num(args.reps),
    timeout: num(args.timeout),
    target: str(args.target),
    isa: Array.isArray(args.isa) ? args.isa : undefined,
    backend: str(args.backend),
  });
  if (args.confirm === true && spec.options.tools.native?.confirm === undefined) {
    spec.options.tools = { ...spec.options.tools, native: { ...spec.options.tools.native, confirm: true } };
  }
  return { spec, db: str(args.db) ?? "simlab.db", ...(num(args.jobs) === undefined ? {} : { jobs: num(args.jobs) }) };
}
