import { interpolate } from "./interpolate.js";
import { SimlabError } from "../core/errors.js";
import { helpText, magicPrefix } from "../args/help.js";
import { parseArgs } from "../args/parse.js";
import type { MagicPart } from "./cell.js";
import { magicFamilies } from "./families.js";
import { closest } from "../core/suggest.js";
import type { MagicContext, MagicSpec } from "./types.js";
import { maxOf } from "../core/extremes.js";

/** What a magic produced; `bindType` is the TypeScript type of the `-> var` binding when one was asked for. */
export interface MagicResult {
  value: unknown;
  bindType?: string;
}

export type FamilyLoader = () => Promise<{ magics: readonly MagicSpec[] }>;

/** One magic family after loading: its magics, or why it could not be loaded. */
export interface FamilyStatus {
  family: string;
  magics: readonly MagicSpec[];
  error?: string;
}

const reservedWords = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private protected public static yield await async type"
    .split(" "),
);

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && !reservedWords.has(name);
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0]!.trim() || "failed to load";
}

/**
 * The magics of a set of families. Families load on first use, in order, and only as far as needed to
 * find a magic; one that fails to import is reported (by %lsmagic) and does not affect the others.
 */
export class MagicRegistry {
  private readonly loading = new Map<string, Promise<FamilyStatus>>();

  constructor(private readonly loaders: Record<string, FamilyLoader>) {}

  private load(family: string): Promise<FamilyStatus> {
    let status = this.loading.get(family);
    if (!status) {
      status = this.loaders[family]!().then(
        (module): FamilyStatus =>
          Array.isArray(module?.magics)
            ? { family, magics: module.magics }
            : { family, magics: [], error: "the module does not export `magics`" },
        (e: unknown): FamilyStatus => ({ family, magics: [], error: firstLine(e) }),
      );
      this.loading.set(family, status);
    }
    return status;
  }

  /** Every family, loaded. */
  families(): Promise<FamilyStatus[]> {
    return Promise.all(Object.keys(this.loaders).map((f) => this.load(f)));
  }

  /** The magic with this name and kind (line `%name` or cell `%%name`), loading families until found. */
  async find(name: string, kind: MagicSpec["kind"]): Promise<MagicSpec | undefined> {
    for (const family of Object.keys(this.loaders)) {
      const spec = (await this.load(family)).magics.find((m) => m.name === name && m.kind === kind);
      if (spec) return spec;
    }
    return undefined;
  }

  /** All magics as typed, e.g. `%time`, `%%time`, `%%sh`, sorted: for completion after `%`. */
  async names(): Promise<string[]> {
    const all = (await this.families()).flatMap((f) => f.magics.map((m) => `${magicPrefix(m)}${m.name}`));
    return [...new Set(all)].sort();
  }

  /** The %lsmagic text: line and cell magics with their summaries, then families that failed to load. */
  async listing(): Promise<string> {
    const families = await this.families();
    const magics = families.flatMap((f) => f.magics);
    const width = Math.max(0, maxOf(magics.map((m) => m.name.length + magicPrefix(m).length))) + 2;
    const section = (title: string, kind: MagicSpec["kind"]) => {
      const rows = magics
        .filter((m) => m.kind === kind)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((m) => `  ${`${magicPrefix(m)}${m.name}`.padEnd(width)}${m.summary}`);
      return [`${title}:`, ...(rows.length ? rows : ["  (none)"])];
    };
    const lines = [...section("Line magics", "line"), "", ...section("Cell magics", "cell")];
    const broken = families.filter((f) => f.error !== undefined);
    if (broken.length) {
      lines.push("", "Unavailable magic families:", ...broken.map((f) => `  ${f.family}: ${f.error}`));
    }
    lines.push("", "`%name --help` or `%name?` shows a magic's options; `-> var` at the end of a line binds its result.");
    return lines.join("\n");
  }

  /** Runs one magic part of a cell: parses its arguments, prints help if asked, checks the binding. */
  async run(part: MagicPart, ctx: MagicContext): Promise<MagicResult> {
    const kind = part.body === undefined ? "line" : "cell";
    const prefix = kind === "cell" ? "%%" : "%";
    if (part.name === "") {
      throw new SimlabError(`missing magic name after ${prefix}`, "write `%name args`; %lsmagic lists the magics");
    }
    const spec = await this.find(part.name, kind);
    if (!spec) throw await this.unknown(part.name, kind);
    // A raw positional (%time STATEMENT) is TypeScript whose braces are code, not interpolation.
    const raw = spec.positionals?.some((p) => p.raw) ?? false;
    const argText = raw ? part.argText : await interpolate(part.argText, (expression) => ctx.runCode(expression), `${prefix}${spec.name}`);
    const { args, help } = parseArgs(spec, argText);
    if (help) {
      // `%name?` goes to the frontend's pager when there is one, as IPython's does.
      if (part.pager && ctx.page) ctx.page(helpText(spec));
      else ctx.stdout(`${helpText(spec)}\n`);
      return { value: undefined };
    }
    if (part.bindTo !== undefined && !isIdentifier(part.bindTo)) {
      throw new SimlabError(
        `${prefix}${spec.name}: cannot bind to '${part.bindTo}': not a valid TypeScript variable name`,
        "write `-> name` with a name like df or result2 at the end of the line",
      );
    }
    const value = await spec.run(args, { ...ctx, registry: this, ...(kind === "cell" ? { body: part.body } : {}) });
    return part.bindTo === undefined ? { value } : { value, bindType: spec.binds ?? "unknown" };
  }

  private async unknown(name: string, kind: MagicSpec["kind"]): Promise<SimlabError> {
    const prefix = kind === "cell" ? "%%" : "%";
    const other = await this.find(name, kind === "cell" ? "line" : "cell");
    if (other) {
      return other.kind === "cell"
        ? new SimlabError(`%${name} is a cell magic: write %%${name} on the first line of the cell`, `%%${name} --help for its usage`)
        : new SimlabError(`%%${name} is a line magic: write %${name} on a line of its own`, `%${name} --help for its usage`);
    }
    const names = await this.names();
    const near = closest(`${prefix}${name}`, names);
    return new SimlabError(
      `unknown magic ${prefix}${name.length > 40 ? `${name.slice(0, 40)}…` : name}`,
      `${near ? `did you mean ${near}? ` : ""}%lsmagic lists the available magics`,
    );
  }
}

export const defaultRegistry = new MagicRegistry(magicFamilies);

/** Runs a magic part of a cell with the kernel's magic families. Throws SimlabError for user mistakes. */
export function runMagic(part: MagicPart, ctx: MagicContext): Promise<MagicResult> {
  return defaultRegistry.run(part, ctx);
}

/** Names of all magics with their prefix (`%time`, `%%sh`), for completion after `%`. */
export function magicNames(): Promise<string[]> {
  return defaultRegistry.names();
}

export function findMagic(name: string, kind: MagicSpec["kind"] = "line"): Promise<MagicSpec | undefined> {
  return defaultRegistry.find(name, kind);
}
