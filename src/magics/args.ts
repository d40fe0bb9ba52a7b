import { SimlabError } from "../errors.js";
import { closest } from "./suggest.js";
import type { ArgType, ArgValue, MagicSpec, OptionSpec, ParsedArgs, PositionalSpec } from "./types.js";
import { maxOf } from "../extremes.js";

/**
 * Declarative argument parsing for magics, in the spirit of IPython's magic_arguments: a MagicSpec's
 * options and positionals give the parser, `--help` text, type checks, defaults, choices and errors.
 */

/** One shell-like word of a magic line, with where it started in the text (for `raw` positionals). */
export interface Token {
  text: string;
  start: number;
  /** True if any part was quoted: quoted words are never taken as options. */
  quoted: boolean;
}

export interface ParseOutcome {
  args: ParsedArgs;
  /** The user asked for `--help` / `-h`: show `helpText(spec)` instead of running. */
  help: boolean;
}

/** A mistake in the argument text; `parseArgs` turns it into a SimlabError naming the magic. */
class ArgumentError extends Error {}

function fail(message: string): never {
  throw new ArgumentError(message);
}

/**
 * What the parser needs of a command: a magic's spec, or a CLI subcommand's (no `kind`; its name is
 * shown as is, e.g. `simlab run`).
 */
export type ArgumentSpec = Pick<MagicSpec, "name" | "summary" | "description" | "options" | "positionals" | "binds"> & {
  kind?: MagicSpec["kind"];
};

/** `%` for line magics, `%%` for cell magics. */
export function magicPrefix(spec: Pick<MagicSpec, "kind">): string {
  return spec.kind === "cell" ? "%%" : "%";
}

/** How the command is written: `%time`, `%%sh`, `simlab run`. */
function commandName(spec: ArgumentSpec): string {
  return spec.kind ? `${magicPrefix({ kind: spec.kind })}${spec.name}` : spec.name;
}

/** `--max-depth` → `maxDepth`: the key under which an argument appears in ParsedArgs. */
export function camelCase(name: string): string {
  return name.replace(/-+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Splits text into words: '…' literal, "…" with backslash escapes of " \ $ `, backslash escapes outside quotes. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let word = "";
    let quoted = false;
    while (i < n && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) fail(`unterminated ' quote starting at column ${i + 1}`);
        word += text.slice(i + 1, close);
        i = close + 1;
        quoted = true;
      } else if (c === '"') {
        const opened = i++;
        quoted = true;
        for (;;) {
          if (i >= n) fail(`unterminated " quote starting at column ${opened + 1}`);
          const ch = text[i]!;
          if (ch === '"') {
            i++;
            break;
          }
          if (ch === "\\" && i + 1 < n && '"\\$`'.includes(text[i + 1]!)) {
            word += text[i + 1];
            i += 2;
          } else {
            word += ch;
            i++;
          }
        }
      } else if (c === "\\" && i + 1 < n) {
        word += text[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    tokens.push({ text: word, start, quoted });
  }
  return tokens;
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

function declaresShort(spec: ArgumentSpec, letter: string): boolean {
  return (spec.options ?? []).some((o) => o.short === letter);
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

function metavar(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

function optionMetavar(option: OptionSpec): string {
  return option.choices ? `{${option.choices.join(",")}}` : metavar(option.name);
}

function positionalUsage(p: PositionalSpec): string {
  const name = p.variadic || p.raw ? `${metavar(p.name)}...` : metavar(p.name);
  return p.required ? name : `[${name}]`;
}

/** The one-line synopsis, e.g. `%time [-r REPEAT] STATEMENT...`. */
export function usage(spec: ArgumentSpec): string {
  const parts = [commandName(spec)];
  for (const o of spec.options ?? []) {
    const flag = o.short ? `-${o.short}` : `--${o.name}`;
    const word = o.type === "boolean" ? flag : `${flag} ${optionMetavar(o)}`;
    const repeated = o.repeatable || o.type === "list" ? `${word} ...` : word;
    parts.push(o.required ? repeated : `[${repeated}]`);
  }
  for (const p of spec.positionals ?? []) parts.push(positionalUsage(p));
  return parts.join(" ");
}

/** The hint attached to argument errors. */
export function usageHint(spec: ArgumentSpec): string {
  return `usage: ${usage(spec)}   (${commandName(spec)} --help for details)`;
}

function formatDefault(value: ArgValue): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** The full `%name --help` text: usage, summary, each argument and option with type/default/choices, description. */
export function helpText(spec: ArgumentSpec): string {
  const rows: [string, string][] = [];
  const positionals = spec.positionals ?? [];
  const options = spec.options ?? [];
  const lines = [`usage: ${usage(spec)}`, "", spec.summary];
  if (positionals.length) {
    lines.push("", "arguments:");
    for (const p of positionals) {
      const kind = p.raw ? "the rest of the line, verbatim" : p.variadic ? "one or more words" : p.type;
      rows.push([metavar(p.name), `${p.help} (${kind}${p.required ? ", required" : ""})`]);
    }
  }
  const optionRows: [string, string][] = options.map((o) => {
    const flags = `${o.short ? `-${o.short}, ` : ""}--${o.name}${o.type === "boolean" ? "" : ` ${optionMetavar(o)}`}`;
    const facts: string[] = [o.type === "list" ? "comma-separated list, repeatable" : o.repeatable ? `${o.type}, repeatable` : o.type];
    if (o.type === "boolean") facts.push(`--no-${o.name} to turn off`);
    if (o.required) facts.push("required");
    if (o.default !== undefined) facts.push(`default ${formatDefault(o.default)}`);
    if (o.choices) facts.push(`one of ${o.choices.join(", ")}`);
    return [flags, `${o.help} (${facts.join("; ")})`];
  });
  optionRows.push([`${declaresShort(spec, "h") ? "" : "-h, "}--help`, "show this help"]);
  const width = Math.min(28, maxOf([...rows, ...optionRows].map(([left]) => left.length)) + 2);
  const format = ([left, right]: [string, string]) => `  ${left.padEnd(width)}${left.length >= width ? `\n  ${" ".repeat(width)}` : ""}${right}`;
  lines.push(...rows.map(format));
  lines.push("", "options:", ...optionRows.map(format));
  if (spec.binds) lines.push("", `Binds with \`-> name\` a variable of type ${spec.binds}.`);
  if (spec.description) lines.push("", spec.description.trim());
  return lines.join("\n");
}
