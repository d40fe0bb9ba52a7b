import { SimlabError } from "../core/errors.js";
import { closest } from "../core/suggest.js";
import { ArgumentError, fail } from "./argument-error.js";
import { commandName, declaresShort, metavar, usageHint } from "./help.js";
import { type Token, tokenize } from "./tokenize.js";
import type { ArgType, ArgumentSpec, ArgValue, OptionSpec, ParsedArgs, PositionalSpec } from "./types.js";

/**
 * Declarative argument parsing for magics, in the spirit of IPython's magic_arguments: a MagicSpec's
 * options and positionals give the parser, `--help` text, type checks, defaults, choices and errors.
 */


export interface ParseOutcome {
  args: ParsedArgs;
  /** The user asked for `--help` / `-h`: show `helpText(spec)` instead of running. */
  help: boolean;
}


/** `--max-depth` → `maxDepth`: the key under which an argument appears in ParsedArgs. */
export function camelCase(name: string): string {
  return name.replace(/-+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}


function isLongOption(t: Token): boolean {
  return !t.quoted && t.text.startsWith("--") && t.text.length > 2;
}

function isShortOption(t: Token): boolean {
  return !t.quoted && /^-[A-Za-z?]/.test(t.text);
}

function isOptionsEnd(t: Token): boolean {
  return !t.quoted && t.text === "--";
}

function typeDescription(type: ArgType): string {
  switch (type) {
    case "number":
      return "a number";
    case "integer":
      return "an integer";
    case "boolean":
      return "true or false";
    case "list":
      return "a comma-separated list";
    case "string":
      return "a value";
  }
}

function quote(text: string): string {
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

function checkChoice(label: string, value: string, choices: readonly string[] | undefined): void {
  if (!choices || choices.includes(value)) return;
  const near = closest(value, choices);
  fail(`${label} must be one of ${choices.join(", ")}, got ${quote(value)}${near ? ` (did you mean ${near}?)` : ""}`);
}

/** Converts one word to the declared type; `previous` accumulates repeated list options. */
function convert(label: string, type: ArgType, text: string, choices: readonly string[] | undefined, previous?: ArgValue): ArgValue {
  switch (type) {
    case "string":
      checkChoice(label, text, choices);
      return text;
    case "number": {
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value)) fail(`${label} expects a number, got ${quote(text)}`);
      return value;
    }
    case "integer":
      if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) fail(`${label} expects an integer, got ${quote(text)}`);
      return Number(text);
    case "list": {
      const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
      if (items.length === 0) fail(`${label} expects a comma-separated list, got ${quote(text)}`);
      for (const item of items) checkChoice(label, item, choices);
      return [...(Array.isArray(previous) ? previous : []), ...items];
    }
    case "boolean": {
      const word = text.toLowerCase();
      if (["true", "yes", "1", "on"].includes(word)) return true;
      if (["false", "no", "0", "off"].includes(word)) return false;
      return fail(`${label} expects true or false, got ${quote(text)}`);
    }
  }
}


/** True if the words ask for help (`--help`, `-h` unless declared, `-?`) before options end. */
function asksForHelp(spec: ArgumentSpec, tokens: Token[]): boolean {
  const raw = (spec.positionals ?? []).some((p) => p.raw);
  for (const t of tokens) {
    if (isOptionsEnd(t)) return false;
    if (isLongOption(t) && t.text === "--help") return true;
    if (isShortOption(t) && (t.text === "-?" || (t.text === "-h" && !declaresShort(spec, "h")))) return true;
    if (raw && !isLongOption(t) && !isShortOption(t)) return false;
  }
  return false;
}

/** Parses the argument text of a magic against its spec. Throws SimlabError (one line, usage as hint). */
export function parseArgs(spec: ArgumentSpec, argText: string): ParseOutcome {
  return withCommandName(spec, () => {
    if (argText.includes("\0")) fail("the arguments contain a NUL character");
    const tokens = tokenize(argText);
    if (asksForHelp(spec, tokens)) return { args: {}, help: true };
    return { args: parseTokens(spec, argText, tokens), help: false };
  });
}

/** Parses already-split command-line words (a CLI subcommand's argv) against a spec. */
export function parseArgv(spec: ArgumentSpec, argv: readonly string[]): ParseOutcome {
  return withCommandName(spec, () => {
    let offset = 0;
    const tokens = argv.map((text): Token => {
      const token = { text, start: offset, quoted: false };
      offset += text.length + 1;
      return token;
    });
    if (asksForHelp(spec, tokens)) return { args: {}, help: true };
    return { args: parseTokens(spec, argv.join(" "), tokens), help: false };
  });
}

function withCommandName(spec: ArgumentSpec, parse: () => ParseOutcome): ParseOutcome {
  try {
    return parse();
  } catch (e) {
    // A CLI subcommand's errors are already prefixed with its name by the dispatcher (src/cli/main.ts).
    if (e instanceof ArgumentError) throw new SimlabError(spec.kind ? `${commandName(spec)}: ${e.message}` : e.message, usageHint(spec));
    throw e;
  }
}

function parseTokens(spec: ArgumentSpec, argText: string, tokens: Token[]): ParsedArgs {
  const options = spec.options ?? [];
  const positionals = spec.positionals ?? [];
  const rawIndex = positionals.findIndex((p) => p.raw);
  const given = new Map<OptionSpec, ArgValue>();
  const words: string[] = [];
  let rawText: string | undefined;

  const take = (option: OptionSpec, label: string, text: string): void => {
    const previous = given.get(option);
    if (option.repeatable && option.type === "string") {
      checkChoice(label, text, option.choices);
      given.set(option, [...(Array.isArray(previous) ? previous : []), text]);
    } else {
      given.set(option, convert(label, option.type, text, option.choices, previous));
    }
  };
  const nextValue = (index: number, label: string, option: OptionSpec): string => {
    const next = tokens[index];
    if (next === undefined) fail(`${label} expects ${typeDescription(option.type)}, got nothing`);
    if (isLongOption(next) || isOptionsEnd(next)) fail(`${label} expects ${typeDescription(option.type)}, got option ${next.text}`);
    return next.text;
  };
  const restFrom = (index: number): string => (index < tokens.length ? argText.slice(tokens[index]!.start).trim() : "");

  let optionsEnded = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!optionsEnded && isOptionsEnd(t)) {
      optionsEnded = true;
      if (rawIndex >= 0 && words.length === rawIndex) {
        rawText = restFrom(i + 1);
        break;
      }
      continue;
    }
    if (!optionsEnded && isLongOption(t)) {
      const eq = t.text.indexOf("=");
      const name = eq < 0 ? t.text.slice(2) : t.text.slice(2, eq);
      const inline = eq < 0 ? undefined : t.text.slice(eq + 1);
      let option = options.find((o) => o.name === name);
      if (!option && name.startsWith("no-")) {
        const negated = options.find((o) => o.name === name.slice(3) && o.type === "boolean");
        if (negated) {
          if (inline !== undefined) fail(`option --${name} takes no value, got ${quote(inline)}`);
          given.set(negated, false);
          continue;
        }
      }
      if (!option) {
        const near = closest(name, options.map((o) => o.name));
        const known = options.length ? `options are ${options.map((o) => `--${o.name}`).join(", ")}` : `${commandName(spec)} takes no options`;
        fail(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ` (${known})`}`);
      }
      const label = `option --${option.name}`;
      if (option.type === "boolean") given.set(option, inline === undefined ? true : convert(label, "boolean", inline, undefined));
      else take(option, label, inline ?? nextValue(++i, label, option));
      continue;
    }
    if (!optionsEnded && isShortOption(t)) {
      const letter = t.text[1]!;
      const rest = t.text.slice(2);
      const option = options.find((o) => o.short === letter);
      if (!option) {
        const shorts = options.filter((o) => o.short).map((o) => `-${o.short}`);
        fail(`unknown option -${letter}${shorts.length ? ` (short options are ${shorts.join(", ")})` : ""}`);
      }
      const label = `option -${letter}/--${option.name}`;
      if (option.type === "boolean") {
        given.set(option, true);
        // Combined flags: -abc sets -a, -b and -c, each of which must be a boolean option.
        for (const other of rest) {
          const flag = options.find((o) => o.short === other && o.type === "boolean");
          if (!flag) fail(`unknown flag -${other} in ${t.text}`);
          given.set(flag, true);
        }
      } else {
        take(option, label, rest !== "" ? rest.replace(/^=/, "") : nextValue(++i, label, option));
      }
      continue;
    }
    if (rawIndex >= 0 && words.length === rawIndex) {
      rawText = restFrom(i);
      break;
    }
    words.push(t.text);
  }

  const args: ParsedArgs = {};
  for (const option of options) {
    const key = camelCase(option.name);
    if (given.has(option)) args[key] = given.get(option);
    else if (option.required) fail(`missing required option --${option.name}`);
    else args[key] = option.default ?? (option.type === "boolean" ? false : undefined);
  }
  assignPositionals(positionals, words, rawText, args);
  return args;
}

function assignPositionals(positionals: readonly PositionalSpec[], words: string[], rawText: string | undefined, args: ParsedArgs): void {
  let used = 0;
  for (const p of positionals) {
    const key = camelCase(p.name);
    const label = `argument ${metavar(p.name)}`;
    if (p.raw) {
      if (rawText === undefined || rawText === "") {
        if (p.required) fail(`missing ${metavar(p.name)} (${p.help})`);
        args[key] = undefined;
      } else {
        args[key] = rawText;
      }
      continue;
    }
    if (p.variadic) {
      const rest = words.slice(used);
      used = words.length;
      if (rest.length === 0 && p.required) fail(`missing ${metavar(p.name)} (${p.help})`);
      args[key] = rest;
      continue;
    }
    const word = words[used];
    if (word === undefined) {
      if (p.required) fail(`missing ${metavar(p.name)} (${p.help})`);
      args[key] = undefined;
      continue;
    }
    used++;
    args[key] = convert(label, p.type, word, undefined);
  }
  if (used < words.length) fail(`unexpected argument ${quote(words[used]!)}`);
}

