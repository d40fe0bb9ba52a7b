import { fail } from "./argument-error.js";

/** Shell-like splitting of a magic line into words. */

/** One shell-like word of a magic line, with where it started in the text (for `raw` positionals). */
export interface Token {
  text: string;
  start: number;
  /** True if any part was quoted: quoted words are never taken as options. */
  quoted: boolean;
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
