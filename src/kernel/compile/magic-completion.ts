/**
 * Completion inside a magic line (`%sweep --to|`, `%load ../data|`, `!ls sr|`): option names from the magic's
 * declared arguments, an option's declared choices, and file paths. Runs in the compiler worker, which loads the
 * magic families on first use so the main thread never does.
 */
import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { OptionSpec } from "../../args/types.js";
import { findMagic } from "../../magics/registry.js";
import type { Completion } from "./messages.js";

/** The magic line the cursor is in, after its name: `%name args…`, `%%name args…` or `!command…`. */
function magicLine(code: string, cursor: number): { name?: string; kind: "line" | "cell"; args: string } | undefined {
  const before = code.slice(0, cursor);
  const line = /[^\n]*$/.exec(before)![0];
  const shell = /^\s*!(.*)$/.exec(line);
  if (shell) return { kind: "line", args: shell[1]! };
  const magic = /^\s*(%%?)([\w-]+)\s+(.*)$/.exec(line);
  if (!magic) return undefined;
  const kind = magic[1] === "%%" ? "cell" : "line";
  if (kind === "cell" && before.length !== line.length && before.slice(0, before.length - line.length).trim() !== "") return undefined; // %% only on the first line
  return { name: magic[2]!, kind, args: magic[3]! };
}

/** Paths completing `word` (relative to the working directory, `~/` for home): directories end with `/`. */
export function pathCompletions(word: string): string[] {
  const slash = word.lastIndexOf("/");
  const dirPart = slash < 0 ? "" : word.slice(0, slash + 1);
  const prefix = word.slice(slash + 1);
  const dir = dirPart === "" ? "." : dirPart.startsWith("~/") ? join(homedir(), dirPart.slice(2)) : dirPart;
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith(".") || !e.name.startsWith(".")))
      .map((e) => `${dirPart}${e.name}${e.isDirectory() ? "/" : ""}`)
      .sort();
  } catch {
    return [];
  }
}

function optionNames(options: readonly OptionSpec[], word: string): string[] {
  const names = options.flatMap((o) => [`--${o.name}`, ...(o.type === "boolean" ? [`--no-${o.name}`] : []), ...(o.short ? [`-${o.short}`] : [])]);
  return [...names, "--help"].filter((n) => n.startsWith(word) && (word.startsWith("--") || !n.startsWith("--no-") || word.startsWith("--no")));
}

/** Completions at `cursor` when it is inside a magic line's arguments; undefined elsewhere (TypeScript completes). */
export async function completeMagicLine(code: string, cursor: number): Promise<Completion | undefined> {
  const line = magicLine(code, cursor);
  if (!line) return undefined;
  const word = /[^\s"'=]*$/.exec(line.args)![0];
  const start = cursor - word.length;
  const spec = line.name === undefined ? undefined : await findMagic(line.name, line.kind);
  const options = spec?.options ?? [];
  if (word.startsWith("-")) return { start, end: cursor, matches: optionNames(options, word) };
  // After an option with choices, offer them.
  const previous = /(?:^|\s)(--?[\w-]+)[\s=]+$/.exec(line.args.slice(0, line.args.length - word.length))?.[1];
  const option = previous === undefined ? undefined : options.find((o) => `--${o.name}` === previous || `-${o.short}` === previous);
  if (option?.choices) return { start, end: cursor, matches: option.choices.filter((c) => c.startsWith(word)) };
  return { start, end: cursor, matches: pathCompletions(word) };
}
