/**
 * Splits a notebook cell into TypeScript code and magic invocations.
 *
 * - `%%name args [-> var]` on the first non-blank line makes the whole cell a cell magic; the rest is its body.
 * - `%name args [-> var]` on a line of its own is a line magic; TypeScript lines between magics become code
 *   parts, in order.
 * - `!command` on a line of its own is a shell escape, run as `%system command` (as in IPython, so write
 *   `(!flag)` for a TypeScript negation at the start of a line).
 * - A line starting with `%` or `!` inside a multi-line template literal or block comment is TypeScript, not a magic.
 * - `%name?` asks for the magic's help through the pager (`pager: true`).
 */
export type CellPart =
  | { kind: "code"; code: string; line: number }
  | { kind: "magic"; name: string; argText: string; bindTo?: string; body?: string; line: number; pager?: boolean };

export type MagicPart = Extract<CellPart, { kind: "magic" }>;

export function splitCell(code: string): CellPart[] {
  const lines = code.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first >= 0 && lines[first]!.trimStart().startsWith("%%")) {
    const head = parseMagicLine(lines[first]!.trimStart().slice(2), first);
    return [{ ...head, body: lines.slice(first + 1).join("\n") }];
  }

  const parts: CellPart[] = [];
  const lexer = new LiteralTracker();
  let pending: string[] = [];
  let pendingStart = 0;
  const flush = () => {
    if (pending.some((l) => l.trim() !== "")) parts.push({ kind: "code", code: pending.join("\n"), line: pendingStart });
    pending = [];
  };
  lines.forEach((text, index) => {
    if (lexer.atTopLevel() && text.trimStart().startsWith("%")) {
      flush();
      parts.push(parseMagicLine(text.trimStart().slice(1), index));
      return;
    }
    if (lexer.atTopLevel() && text.trimStart().startsWith("!")) {
      flush();
      parts.push({ kind: "magic", name: "system", argText: text.trimStart().slice(1).trim(), line: index });
      return;
    }
    if (pending.length === 0) pendingStart = index;
    pending.push(text);
    lexer.feedLine(text);
  });
  flush();
  return parts;
}

/**
 * Parses `name args [-> var]` (the text after `%` or `%%`). `name?` asks for help. Never throws: a missing
 * or odd name is left for the registry to report.
 */
function parseMagicLine(text: string, line: number): MagicPart {
  const match = /^(\S*?)(\?*)(?:\s+|$)([\s\S]*)$/.exec(text.trim())!;
  const name = match[1]!;
  let argText = match[3]!;
  let bindTo: string | undefined;
  const bind = /(?:^|\s)->\s*([^\s'"`]+)\s*$/.exec(argText);
  if (bind) {
    bindTo = bind[1]!;
    argText = argText.slice(0, bind.index).trimEnd();
  }
  const pager = match[2] !== "";
  if (pager) argText = argText === "" ? "--help" : `--help ${argText}`;
  const part: MagicPart = bindTo === undefined ? { kind: "magic", name, argText, line } : { kind: "magic", name, argText, bindTo, line };
  return pager ? { ...part, pager } : part;
}

type Mode = { kind: "code"; braces: number } | { kind: "template" } | { kind: "comment" };

/**
 * Follows just enough TypeScript lexing to know whether a line starts inside a multi-line construct
 * (template literal, block comment). Quoted strings end at the line end; regex literals are not tracked.
 */
class LiteralTracker {
  private stack: Mode[] = [{ kind: "code", braces: 0 }];

  atTopLevel(): boolean {
    return this.stack.length === 1;
  }

  feedLine(line: string): void {
    const text = `${line}\n`;
    let i = 0;
    while (i < text.length) {
      const mode = this.stack[this.stack.length - 1]!;
      const c = text[i]!;
      if (mode.kind === "comment") {
        if (c === "*" && text[i + 1] === "/") {
          this.stack.pop();
          i += 2;
        } else i++;
      } else if (mode.kind === "template") {
        if (c === "\\") i += 2;
        else if (c === "`") {
          this.stack.pop();
          i++;
        } else if (c === "$" && text[i + 1] === "{") {
          this.stack.push({ kind: "code", braces: 0 });
          i += 2;
        } else i++;
      } else {
        i = this.code(mode, text, i);
      }
    }
  }

  /** Advances over one token of code; returns the next index. */
  private code(mode: { kind: "code"; braces: number }, text: string, i: number): number {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") return text.length;
    if (c === "/" && text[i + 1] === "*") {
      this.stack.push({ kind: "comment" });
      return i + 2;
    }
    if (c === "`") {
      this.stack.push({ kind: "template" });
      return i + 1;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      return j + 1;
    }
    if (c === "{") mode.braces++;
    if (c === "}") {
      // Closing the `${` of a template substitution returns to the template.
      if (mode.braces === 0 && this.stack.length > 1) this.stack.pop();
      else mode.braces = Math.max(0, mode.braces - 1);
    }
    return i + 1;
  }
}
