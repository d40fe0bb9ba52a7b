import { SimlabError } from "../core/errors.js";

/** Quotes `value` for /bin/sh unless it is a plain word. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `{name}` placeholders a template uses. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/**
 * Replaces every `{name}` in a shell command template by its shell-quoted value. A placeholder without a value
 * is a SimlabError naming it and listing the ones available (`what` says which template, for the message).
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
  what: string,
  /** Values inserted as they are (several shell words, e.g. compiler flags). */
  rawValues: Readonly<Record<string, string>> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const raw = rawValues[name];
    if (raw !== undefined) return raw;
    const value = values[name];
    if (value === undefined) {
      const available = [...Object.keys(values), ...Object.keys(rawValues)].map((n) => `{${n}}`).join(" ");
      throw new SimlabError(`${what}: unknown placeholder {${name}}`, `available: ${available}`);
    }
    return shellQuote(String(value));
  });
}
