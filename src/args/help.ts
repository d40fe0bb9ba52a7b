import { maxOf } from "../core/extremes.js";
import type { ArgumentSpec, ArgValue, OptionSpec, PositionalSpec } from "./types.js";

/** Usage lines and `--help` text, derived from a command's argument declaration. */

/** `%` for line magics, `%%` for cell magics. */
export function magicPrefix(spec: Pick<ArgumentSpec, "kind">): string {
  return spec.kind === "cell" ? "%%" : "%";
}

/** How the command is written: `%time`, `%%sh`, `simlab run`. */
export function commandName(spec: ArgumentSpec): string {
  return spec.kind ? `${magicPrefix({ kind: spec.kind })}${spec.name}` : spec.name;
}

export function declaresShort(spec: ArgumentSpec, letter: string): boolean {
  return (spec.options ?? []).some((o) => o.short === letter);
}

export function metavar(name: string): string {
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
