import { statSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { toMimeBundle, type Displayable } from "../display/types.js";
import { SimlabError } from "../core/errors.js";
import type { OptionSpec } from "../args/types.js";
import { defineMagic, type MagicContext, type MagicSpec } from "./types.js";
import { minOf } from "../core/extremes.js";

/** The basic family: %lsmagic, %time / %%time, %cd, %env. */

/** Plain text that displays as itself (not as a quoted string). */
function textOutput(text: string): Displayable {
  return { [toMimeBundle]: () => ({ "text/plain": text }) };
}

const lsmagic: MagicSpec = {
  name: "lsmagic",
  kind: "line",
  summary: "List the line and cell magics with their summaries",
  async run(_args, ctx) {
    if (!ctx.registry) throw new Error("%lsmagic runs only through a magic registry");
    return textOutput(await ctx.registry.listing());
  },
};

/** 12.3 ms, 1.23 s, 45.6 µs: three significant digits in a readable unit. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(3)} µs`;
}

const repeatOption = {
  name: "repeat",
  short: "r",
  type: "integer",
  default: 1,
  help: "run it this many times and report the mean and the minimum",
} as const satisfies OptionSpec;

/** Runs `code` `repeat` times through the notebook, prints the wall time, returns the last value. */
async function timeCode(code: string, repeat: number, ctx: MagicContext, magic: string): Promise<unknown> {
  if (repeat < 1) throw new SimlabError(`${magic}: option --repeat must be at least 1, got ${repeat}`, `${magic} --help for the options`);
  const times: number[] = [];
  let value: unknown;
  for (let i = 0; i < repeat; i++) {
    if (ctx.signal.aborted) break;
    const start = performance.now();
    value = await ctx.runCode(code);
    times.push(performance.now() - start);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  ctx.stdout(
    times.length === 1
      ? `Wall time: ${formatDuration(times[0]!)}\n`
      : `Wall time: ${formatDuration(mean)} per run (mean of ${times.length} runs; min ${formatDuration(minOf(times))})\n`,
  );
  return value;
}

const timeLine = defineMagic({
  name: "time",
  kind: "line",
  summary: "Run a TypeScript statement and print its wall time",
  description: "Example: %time await fetchAll()   The statement's value is returned, so it can be bound with -> var.",
  options: [repeatOption],
  positionals: [{ name: "statement", type: "string", raw: true, required: true, help: "TypeScript to run" }],
}, (args, ctx) => timeCode(args.statement, args.repeat, ctx, "%time"));

const timeCell = defineMagic({
  name: "time",
  kind: "cell",
  summary: "Run the cell's TypeScript and print its wall time",
  options: [repeatOption],
}, (args, ctx) => timeCode(ctx.body ?? "", args.repeat, ctx, "%%time"));

let previousDirectory: string | undefined;

const cd = defineMagic({
  name: "cd",
  kind: "line",
  summary: "Change the working directory (no argument: print it; `-`: go back)",
  positionals: [{ name: "dir", type: "string", help: "directory to change to; ~ is your home, - the previous one" }],
}, async (args, ctx) => {
  const dir = args.dir;
  if (dir === undefined) {
    ctx.stdout(`${process.cwd()}\n`);
    return undefined;
  }
  let target: string;
  if (dir === "-") {
    if (previousDirectory === undefined) throw new SimlabError("%cd -: there is no previous directory yet", "%cd DIR first");
    target = previousDirectory;
  } else {
    target = resolve(dir === "~" || dir.startsWith("~/") ? homedir() + dir.slice(1) : dir);
  }
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new SimlabError(`%cd: no such directory: ${target}`, "check the path; %cd alone prints the current directory");
  if (!stat.isDirectory()) throw new SimlabError(`%cd: not a directory: ${target}`, "give a directory, not a file");
  const from = process.cwd();
  try {
    process.chdir(target);
  } catch (e) {
    throw new SimlabError(`%cd: cannot enter ${target}: ${(e as NodeJS.ErrnoException).code ?? "error"}`, "check the directory's permissions");
  }
  previousDirectory = from;
  ctx.stdout(`${process.cwd()}\n`);
  return undefined;
});

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const env = defineMagic({
  name: "env",
  kind: "line",
  summary: "List environment variables, get one (%env NAME) or set one (%env NAME=value)",
  description: "Examples: %env   %env HOME   %env OMP_NUM_THREADS=4   %env OMP_NUM_THREADS 4",
  binds: "string | undefined",
  positionals: [
    { name: "name", type: "string", help: "variable name, or NAME=value to set it" },
    { name: "value", type: "list", variadic: true, help: "value to set" },
  ],
}, async (args, ctx) => {
  const word = args.name;
  const rest = args.value;
  if (word === undefined) {
    const names = Object.keys(process.env).sort();
    ctx.stdout(names.map((n) => `${n}=${process.env[n]}\n`).join(""));
    return undefined;
  }
  const eq = word.indexOf("=");
  const name = eq < 0 ? word : word.slice(0, eq);
  if (!envName.test(name)) {
    throw new SimlabError(`%env: '${name}' is not a valid variable name`, "names are letters, digits and _, not starting with a digit");
  }
  if (eq < 0 && rest.length === 0) {
    const value = process.env[name];
    if (value === undefined) throw new SimlabError(`%env: ${name} is not set`, `set it with %env ${name}=value`);
    return value;
  }
  const value = eq < 0 ? rest.join(" ") : [word.slice(eq + 1), ...rest].join(" ");
  process.env[name] = value;
  ctx.stdout(`env: ${name}=${value}\n`);
  return undefined;
});

export const magics: readonly MagicSpec[] = [lsmagic, timeLine, timeCell, cd, env];
