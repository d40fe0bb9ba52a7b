import { SimlabError } from "../core/errors.js";
import { HistoryStore, type HistoryEntry } from "../store/history.js";
import { defineMagic, type MagicSpec } from "./types.js";

/** The history family: %history, over the kernel's history file (src/store/history.ts). */

/**
 * History entries as IPython's %history prints them: sources only, or with `numbers` each prefixed by its line
 * (`session/line` for other sessions than `current`); continuation lines are indented under the first.
 */
export function formatHistory(entries: readonly HistoryEntry[], options: { numbers?: boolean; current?: number } = {}): string {
  return entries
    .map((e) => {
      if (!options.numbers) return e.source;
      const label = e.session === options.current ? `${e.line}` : `${e.session}/${e.line}`;
      const prefix = `${label.padStart(4)}: `;
      return prefix + e.source.split("\n").join(`\n${" ".repeat(prefix.length)}`);
    })
    .join("\n");
}

let reader: { file: string; store: HistoryStore } | undefined;
function openReader(file: string): HistoryStore {
  if (reader?.file !== file) {
    reader?.store.close();
    reader = { file, store: new HistoryStore(file, { readonly: true }) };
  }
  return reader.store;
}

const history = defineMagic({
  name: "history",
  kind: "line",
  summary: "Print the cells run so far (this session; -l N: the last N of all sessions; -g PATTERN: search them)",
  description: "Examples: %history -n   %history -l 5   %history -g sweep*db   (PATTERN: * any text, ? one character)",
  options: [
    { name: "numbers", short: "n", type: "boolean", help: "prefix each cell with its line (session/line for earlier sessions)" },
    { name: "grep", short: "g", type: "string", help: "only cells containing PATTERN (glob: * and ?), over all sessions" },
    { name: "last", short: "l", type: "integer", help: "the last N cells over all sessions" },
  ],
}, async (args, ctx) => {
  if (!ctx.history) throw new SimlabError("%history: no history here", "history is kept when the notebook runs in the simlab kernel with a writable Jupyter data folder");
  if (args.last !== undefined && args.last < 1) throw new SimlabError(`%history: option --last must be at least 1, got ${args.last}`, "%history --help for the options");
  const store = openReader(ctx.history.file);
  const { session } = ctx.history;
  const entries =
    args.grep !== undefined
      ? store.search(`*${args.grep}*`, args.last === undefined ? {} : { n: args.last })
      : args.last !== undefined
        ? store.tail(args.last)
        : store.range(session);
  const text = formatHistory(entries, { numbers: args.numbers || args.grep !== undefined, current: session });
  ctx.stdout(text === "" ? "" : `${text}\n`);
  return undefined;
});

export const magics: readonly MagicSpec[] = [history];
