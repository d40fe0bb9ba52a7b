import { SimlabError } from "../core/errors.js";

/** Quotes `value` for /bin/sh unless it is a plain word. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `{name}`, but not the shell's own `${name}`. */
const PLACEHOLDER = /(?<!\$)\{(\w+)\}/g;
const AT_PLACEHOLDER = /\{(\w+)\}/y;

/** The `{name}` placeholders a template uses. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** A placeholder's value: one word, or a list (each element its own word where the placeholder stands unquoted). */
export type TemplateValue = string | number | readonly string[];

type Quoting = "none" | "single" | "double";

/**
 * Fills a shell command template. The result is a script that first assigns every value it uses to a shell
 * variable, then runs the template with each `{name}` replaced by an expansion of that variable, quoted for
 * where it stands (unquoted, inside "…" or inside '…'). The shell expands a variable without ever parsing
 * its content as code, so no value (a file named `a'$(rm -rf ~)`) can run a command, whatever the template's
 * quotes. A placeholder without a value is a SimlabError naming it (`what` says which template).
 */
export function fillTemplate(template: string, values: Readonly<Record<string, TemplateValue>>, what: string): string {
  const assignments: string[] = [];
  const assigned = new Set<string>();
  const variables = (name: string): string[] => {
    const value = values[name];
    if (value === undefined) {
      throw new SimlabError(`${what}: unknown placeholder {${name}}`, `available: ${Object.keys(values).map((n) => `{${n}}`).join(" ")}`);
    }
    const words = typeof value === "object" ? value : [String(value)];
    const names = typeof value === "object" ? words.map((_, i) => `simlab_${name}_${i}`) : [`simlab_${name}`];
    if (!assigned.has(name)) {
      assigned.add(name);
      names.forEach((v, i) => assignments.push(`${v}=${shellQuote(words[i]!)}`));
    }
    return names;
  };
  const expansion = (name: string, quoting: Quoting): string => {
    const names = variables(name);
    if (quoting === "none") return names.map((v) => `"\${${v}}"`).join(" ");
    const joined = names.map((v) => `\${${v}}`).join(" ");
    return quoting === "double" ? joined : `'"${joined}"'`;
  };

  let out = "";
  const stack: ("single" | "double" | "paren" | "backtick")[] = [];
  const quoting = (): Quoting => {
    const top = stack[stack.length - 1];
    return top === "single" || top === "double" ? top : "none";
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    const top = stack[stack.length - 1];
    AT_PLACEHOLDER.lastIndex = i;
    const found = c === "{" && template[i - 1] !== "$" ? AT_PLACEHOLDER.exec(template) : null;
    if (found) {
      out += expansion(found[1]!, quoting());
      i += found[0].length - 1;
      continue;
    }
    out += c;
    if (top === "single") {
      if (c === "'") stack.pop();
    } else if (c === "\\" && i + 1 < template.length) {
      out += template[++i];
    } else if (c === "$" && template[i + 1] === "(") {
      out += template[++i];
      stack.push("paren");
    } else if (c === "`") {
      if (top === "backtick") stack.pop();
      else stack.push("backtick");
    } else if (top === "double") {
      if (c === '"') stack.pop();
    } else if (c === "'") stack.push("single");
    else if (c === '"') stack.push("double");
    else if (c === "(") stack.push("paren");
    else if (c === ")" && top === "paren") stack.pop();
  }
  return [...assignments, out].join("\n");
}
