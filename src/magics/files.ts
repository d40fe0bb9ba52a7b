import { readdirSync, statSync, type Dirent } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { SimlabError } from "../core/errors.js";
import { defineMagic, type MagicSpec } from "./types.js";

/** The files family: %pwd and %ls. */

/** A directory's entries as `ls -F` marks them: `dir/`, `link@`, `program*`; hidden ones only with `all`. */
export function listDirectory(path: string, options: { all?: boolean } = {}): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return [path];
    throw new SimlabError(`%ls: cannot list ${path}: ${code === "ENOENT" ? "no such file or directory" : (code ?? (e as Error).message)}`, "check the path; %pwd shows where you are");
  }
  return entries
    .filter((e) => options.all || !e.name.startsWith("."))
    .map((e) => {
      if (e.isDirectory()) return `${e.name}/`;
      if (e.isSymbolicLink()) return `${e.name}@`;
      const mode = statSync(join(path, e.name), { throwIfNoEntry: false })?.mode ?? 0;
      return e.isFile() && mode & 0o111 ? `${e.name}*` : e.name;
    })
    .sort((a, b) => a.localeCompare(b));
}

/** Names in columns, filled down then across, within `width` characters. */
export function inColumns(names: readonly string[], width = 100): string {
  if (names.length === 0) return "";
  const cell = Math.max(...names.map((n) => n.length)) + 2;
  const columns = Math.max(1, Math.floor(width / cell));
  const rows = Math.ceil(names.length / columns);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < columns; c++) {
      const name = names[c * rows + r];
      if (name !== undefined) row.push(name.padEnd(cell));
    }
    lines.push(row.join("").trimEnd());
  }
  return lines.join("\n");
}

const pwd = defineMagic({
  name: "pwd",
  kind: "line",
  summary: "The current working directory",
  binds: "string",
}, async () => process.cwd());

const ls = defineMagic({
  name: "ls",
  kind: "line",
  summary: "List a directory (default: the current one), marking folders with /",
  description: "Examples: %ls   %ls ../datasets   %ls -a",
  options: [{ name: "all", short: "a", type: "boolean", help: "include hidden entries (names starting with .)" }],
  positionals: [{ name: "path", type: "string", help: "directory to list; ~ is your home" }],
}, async (args, ctx) => {
  const path = args.path === undefined ? process.cwd() : resolve(args.path === "~" || args.path.startsWith("~/") ? homedir() + args.path.slice(1) : args.path);
  const text = inColumns(listDirectory(path, { all: args.all }));
  ctx.stdout(text === "" ? "" : `${text}\n`);
  return undefined;
});

export const magics: readonly MagicSpec[] = [pwd, ls];
