import assert from "node:assert/strict";
import { test } from "node:test";
import { helpText, usage } from "../../src/args/help.js";
import { parseArgs } from "../../src/args/parse.js";
import { tokenize } from "../../src/args/tokenize.js";
import type { ArgsOf } from "../../src/args/typed.js";
import type { ArgumentSpec } from "../../src/args/types.js";
import { isSimlabError, SimlabError } from "../../src/core/errors.js";
import type { MagicSpec } from "../../src/magics/types.js";

const spec: MagicSpec = {
  name: "demo",
  kind: "line",
  summary: "A magic with every kind of argument",
  description: "Example: %demo -n 3 in.csv",
  binds: "number",
  options: [
    { name: "count", short: "n", type: "integer", default: 1, help: "how many" },
    { name: "scale", type: "number", help: "a factor" },
    { name: "mode", short: "m", type: "string", default: "fast", choices: ["fast", "slow"], help: "speed" },
    { name: "tools", short: "t", type: "list", choices: ["cachegrind", "callgrind", "native"], help: "tools to run" },
    { name: "verbose", short: "v", type: "boolean", help: "talk more" },
    { name: "cache", short: "c", type: "boolean", default: true, help: "use the cache" },
    { name: "max-depth", type: "integer", help: "tree depth" },
  ],
  positionals: [
    { name: "input", type: "string", required: true, help: "input file" },
    { name: "rest", type: "list", variadic: true, help: "more files" },
  ],
  run: async () => undefined,
};

const withRequired: MagicSpec = {
  name: "req",
  kind: "cell",
  summary: "Needs an option",
  options: [{ name: "target", type: "string", required: true, help: "where" }],
  run: async () => undefined,
};

const raw: MagicSpec = {
  name: "timeit",
  kind: "line",
  summary: "raw statement",
  options: [{ name: "repeat", short: "r", type: "integer", default: 1, help: "times" }],
  positionals: [{ name: "statement", type: "string", raw: true, required: true, help: "code" }],
  run: async () => undefined,
};

function errorOf(s: MagicSpec, text: string): SimlabError {
  try {
    parseArgs(s, text);
  } catch (e) {
    assert.ok(isSimlabError(e), `expected a SimlabError, got ${String(e)}`);
    return e;
  }
  assert.fail(`parsing ${JSON.stringify(text)} should fail`);
}

test("tokenize handles quotes, escapes and unicode", () => {
  assert.deepEqual(
    tokenize(`a 'b c' "d \\"e\\" f" g\\ h 'it''s' "x\\ny" ü→✓`).map((t) => t.text),
    ["a", "b c", 'd "e" f', "g h", "its", "x\\ny", "ü→✓"],
  );
  assert.deepEqual(tokenize("  "), []);
  assert.equal(tokenize("'--x'")[0]!.quoted, true);
});

test("defaults apply when nothing is given", () => {
  const { args, help } = parseArgs(spec, "in.csv");
  assert.equal(help, false);
  assert.deepEqual(args, { count: 1, scale: undefined, mode: "fast", tools: undefined, verbose: false, cache: true, maxDepth: undefined, input: "in.csv", rest: [] });
});

test("every option syntax and type", () => {
  const { args } = parseArgs(spec, "--count 3 --scale=-2.5e1 -m slow -t cachegrind,native -t callgrind -v --no-cache --max-depth=8 a.csv b c");
  assert.equal(args.count, 3);
  assert.equal(args.scale, -25);
  assert.equal(args.mode, "slow");
  assert.deepEqual(args.tools, ["cachegrind", "native", "callgrind"]);
  assert.equal(args.verbose, true);
  assert.equal(args.cache, false);
  assert.equal(args.maxDepth, 8);
  assert.equal(args.input, "a.csv");
  assert.deepEqual(args.rest, ["b", "c"]);
});

test("short forms: attached values, combined flags, --flag=false", () => {
  assert.equal(parseArgs(spec, "-n7 x").args.count, 7);
  assert.equal(parseArgs(spec, "-n=7 x").args.count, 7);
  const combined = parseArgs(spec, "-vc x").args;
  assert.equal(combined.verbose, true);
  assert.equal(combined.cache, true);
  assert.equal(parseArgs(spec, "--verbose=false x").args.verbose, false);
  assert.equal(parseArgs(spec, "--scale -3 x").args.scale, -3);
});

test("-- ends options; quoted words are never options", () => {
  const { args } = parseArgs(spec, "-- --count -v");
  assert.equal(args.input, "--count");
  assert.deepEqual(args.rest, ["-v"]);
  assert.equal(parseArgs(spec, "'--count'").args.input, "--count");
});

test("raw positional keeps the rest of the line verbatim", () => {
  assert.deepEqual(parseArgs(raw, `-r 3 console.log("a  'b'", x -1)`).args, { repeat: 3, statement: `console.log("a  'b'", x -1)` });
  assert.equal(parseArgs(raw, "-- -x + 1").args.statement, "-x + 1");
  assert.equal(parseArgs(raw, "f(--help)").help, false);
  assert.equal(parseArgs(raw, "--help").help, true);
});

test("help is recognised in every form", () => {
  for (const text of ["--help", "-h", "-?", "x --help", "--bogus --help"]) assert.equal(parseArgs(spec, text).help, true, text);
  assert.equal(parseArgs(spec, "-- --help").help, false);
});

test("errors are one line naming the option and what was expected, with the usage as hint", () => {
  const cases: [string, string][] = [
    ["-n x in", "%demo: option -n/--count expects an integer, got 'x'"],
    ["--count 2.5 in", "%demo: option --count expects an integer, got '2.5'"],
    ["--scale abc in", "%demo: option --scale expects a number, got 'abc'"],
    ["--mode medium in", "%demo: option --mode must be one of fast, slow, got 'medium'"],
    ["--mode slwo in", "%demo: option --mode must be one of fast, slow, got 'slwo' (did you mean slow?)"],
    ["-t cachegrind,gem5 in", "%demo: option -t/--tools must be one of cachegrind, callgrind, native, got 'gem5'"],
    ["--cuont 3 in", "%demo: unknown option --cuont (did you mean --count?)"],
    ["--zzzzzzzz in", "%demo: unknown option --zzzzzzzz (options are --count, --scale, --mode, --tools, --verbose, --cache, --max-depth)"],
    ["-q in", "%demo: unknown option -q (short options are -n, -m, -t, -v, -c)"],
    ["-vq in", "%demo: unknown flag -q in -vq"],
    ["in --count", "%demo: option --count expects an integer, got nothing"],
    ["--count --verbose in", "%demo: option --count expects an integer, got option --verbose"],
    ["--no-cache=1 in", "%demo: option --no-cache takes no value, got '1'"],
    ["--verbose=maybe in", "%demo: option --verbose expects true or false, got 'maybe'"],
    ["", "%demo: missing INPUT (input file)"],
    ["'unclosed", "%demo: unterminated ' quote starting at column 1"],
    ['a "b', '%demo: unterminated " quote starting at column 3'],
  ];
  for (const [text, message] of cases) {
    const e = errorOf(spec, text);
    assert.equal(e.message, message, text);
    assert.ok(!e.message.includes("\n"));
    assert.equal(e.hint, "usage: %demo [-n COUNT] [--scale SCALE] [-m {fast,slow}] [-t {cachegrind,callgrind,native} ...] [-v] [-c] [--max-depth MAX_DEPTH] INPUT [REST...]   (%demo --help for details)");
  }
  assert.equal(errorOf(withRequired, "").message, "%%req: missing required option --target");
  assert.equal(errorOf(raw, "-r 2").message, "%timeit: missing STATEMENT (code)");
  const noPositionals: MagicSpec = { name: "p", kind: "line", summary: "s", run: async () => undefined };
  assert.equal(errorOf(noPositionals, "extra").message, "%p: unexpected argument 'extra'");
  assert.equal(errorOf(noPositionals, "--x").message, "%p: unknown option --x (%p takes no options)");
});

test("usage and help text show types, defaults, choices and the description", () => {
  assert.equal(usage(withRequired), "%%req --target TARGET");
  const help = helpText(spec);
  const expected = [
    "usage: %demo [-n COUNT]",
    "A magic with every kind of argument",
    "INPUT",
    "input file (string, required)",
    "-n, --count COUNT",
    "how many (integer; default 1)",
    "speed (string; default fast; one of fast, slow)",
    "tools to run (comma-separated list, repeatable; one of cachegrind, callgrind, native)",
    "use the cache (boolean; --no-cache to turn off; default true)",
    "-h, --help",
    "Binds with `-> name` a variable of type number.",
    "Example: %demo -n 3 in.csv",
  ];
  for (const piece of expected) assert.ok(help.includes(piece), `help lacks ${JSON.stringify(piece)}:\n${help}`);
});

test("ArgsOf types the arguments exactly as parseArgs produces them", () => {
  const spec = {
    name: "demo",
    kind: "line",
    summary: "typed arguments",
    options: [
      { name: "max-depth", type: "integer", default: 8, help: "depth" },
      { name: "title", type: "string", help: "title" },
      { name: "log-y", type: "boolean", help: "log" },
      { name: "model", type: "string", choices: ["tree", "forest"], help: "model" },
      { name: "tag", type: "string", repeatable: true, help: "tags" },
    ],
    positionals: [
      { name: "file", type: "string", required: true, help: "file" },
      { name: "rest", type: "list", variadic: true, help: "more" },
    ],
  } as const satisfies ArgumentSpec;
  const typed = parseArgs(spec, "--model forest --tag a --tag b data.csv x y").args as ArgsOf<typeof spec>;
  const depth: number = typed.maxDepth;
  const title: string | undefined = typed.title;
  const logY: boolean = typed.logY;
  const model: "tree" | "forest" | undefined = typed.model;
  const tags: string[] | undefined = typed.tag;
  const file: string = typed.file;
  const rest: string[] = typed.rest;
  assert.deepEqual({ depth, title, logY, model, tags, file, rest }, { depth: 8, title: undefined, logY: false, model: "forest", tags: ["a", "b"], file: "data.csv", rest: ["x", "y"] });
  // @ts-expect-error an optional string option may be undefined, so it is not a plain string
  const notAlwaysSet: string = typed.title;
  assert.equal(notAlwaysSet, undefined);
});
