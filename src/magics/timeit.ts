import { SimlabError } from "../core/errors.js";
import { minOf } from "../core/extremes.js";
import { formatDuration } from "./basic.js";
import { defineMagic, type MagicContext, type MagicSpec } from "./types.js";

/** The timeit family: %timeit and %%timeit, IPython's loop-count choice and output line. */

export interface TimeitResult {
  /** Loops per run. */
  loops: number;
  /** Milliseconds per loop, one entry per run. */
  timings: number[];
  mean: number;
  /** Population standard deviation of `timings`, as IPython reports it. */
  stdev: number;
  best: number;
}

export function timeitResult(loops: number, timings: number[]): TimeitResult {
  const mean = timings.reduce((a, b) => a + b, 0) / timings.length;
  const stdev = Math.sqrt(timings.reduce((a, t) => a + (t - mean) ** 2, 0) / timings.length);
  return { loops, timings, mean, stdev, best: minOf(timings) };
}

/** IPython's line: `1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)`. */
export function formatTimeit(r: TimeitResult): string {
  const runs = r.timings.length;
  const spread = runs > 1 ? ` ± ${formatDuration(r.stdev)}` : "";
  const stat = runs > 1 ? "mean ± std. dev." : "mean";
  return `${formatDuration(r.mean)}${spread} per loop (${stat} of ${runs} run${runs === 1 ? "" : "s"}, ${r.loops.toLocaleString("en-US")} loop${r.loops === 1 ? "" : "s"} each)`;
}

/** Loop counts tried when choosing automatically: 1, 2, 5, 10, 20, 50, … */
function* candidateLoops(): Generator<number> {
  for (let scale = 1; ; scale *= 10) for (const step of [1, 2, 5]) yield step * scale;
}

/** A run of the chosen loop count should take at least this long, as in IPython. */
const TARGET_RUN_MS = 200;
const MAX_LOOPS = 1e9;

/**
 * Times `code` (TypeScript statements): compiled once into a function that runs them `n` times in a loop, so each
 * loop costs no compilation. Without `loops`, the count grows 1, 2, 5, 10, … until one run takes ≥ 0.2 s.
 */
export async function timeit(code: string, options: { loops?: number; runs: number; ctx: MagicContext }): Promise<TimeitResult> {
  const { ctx } = options;
  const isAsync = /\bawait\b/.test(code);
  const source =
    `(${isAsync ? "async " : ""}(__simlab_n: number) => { const __simlab_t0 = performance.now();` +
    ` for (let __simlab_i = 0; __simlab_i < __simlab_n; __simlab_i++) {\n${code}\n} return performance.now() - __simlab_t0; })`;
  const timed = (await ctx.runCode(source)) as (n: number) => number | Promise<number>;
  let loops = options.loops;
  if (loops === undefined) {
    for (const n of candidateLoops()) {
      loops = n;
      if ((await timed(n)) >= TARGET_RUN_MS || n >= MAX_LOOPS || ctx.signal.aborted) break;
    }
  }
  const timings: number[] = [];
  for (let run = 0; run < options.runs && !ctx.signal.aborted; run++) timings.push((await timed(loops!)) / loops!);
  if (timings.length === 0) throw new SimlabError("%timeit: interrupted before the first run finished");
  return timeitResult(loops!, timings);
}

const timeitOptions = [
  { name: "number", short: "n", type: "integer", help: "loops per run (default: chosen so a run takes at least 0.2 s)" },
  { name: "repeat", short: "r", type: "integer", default: 7, help: "runs; the mean and standard deviation are over them" },
  { name: "output", short: "o", type: "boolean", help: "return the result (loops, timings, mean, stdev, best in ms), e.g. to bind it with -> t" },
] as const;

const binds = "{ loops: number; timings: number[]; mean: number; stdev: number; best: number } | undefined";

async function timeitMagic(code: string, args: { number?: number; repeat: number; output?: boolean }, ctx: MagicContext, magic: string): Promise<TimeitResult | undefined> {
  if (code.trim() === "") throw new SimlabError(`${magic}: nothing to time`, `write ${magic === "%timeit" ? "%timeit STATEMENT" : "the statements below %%timeit"}`);
  if (args.number !== undefined && args.number < 1) throw new SimlabError(`${magic}: option --number must be at least 1, got ${args.number}`, `${magic} --help for the options`);
  if (args.repeat < 1) throw new SimlabError(`${magic}: option --repeat must be at least 1, got ${args.repeat}`, `${magic} --help for the options`);
  const result = await timeit(code, { runs: args.repeat, ctx, ...(args.number === undefined ? {} : { loops: args.number }) });
  ctx.stdout(`${formatTimeit(result)}\n`);
  return args.output ? result : undefined;
}

const timeitLine = defineMagic({
  name: "timeit",
  kind: "line",
  summary: "Time a TypeScript statement over many loops (mean ± std. dev. of several runs)",
  description: "Example: %timeit xs.reduce((a, b) => a + b, 0)   Variables declared in the statement stay inside it.",
  binds,
  options: timeitOptions,
  positionals: [{ name: "statement", type: "string", raw: true, required: true, help: "TypeScript to time" }],
}, (args, ctx) => timeitMagic(args.statement, args, ctx, "%timeit"));

const timeitCell = defineMagic({
  name: "timeit",
  kind: "cell",
  summary: "Time the cell's TypeScript over many loops (mean ± std. dev. of several runs)",
  binds,
  options: timeitOptions,
}, (args, ctx) => timeitMagic(ctx.body ?? "", args, ctx, "%%timeit"));

export const magics: readonly MagicSpec[] = [timeitLine, timeitCell];
