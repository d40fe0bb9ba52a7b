import { SimlabError } from "../core/errors.js";

/**
 * Expands `{expression}` in a magic line with the value of that TypeScript expression in the notebook, as
 * IPython does: `%sweep --space "M={size}" --tools {tools}` after `const size = 128, tools = ["native"]`.
 * Arrays become comma-separated lists (the form list options take); `{{` and `}}` are literal braces.
 */
export async function interpolate(text: string, evaluate: (expression: string) => Promise<unknown>, origin: string): Promise<string> {
  if (!text.includes("{") && !text.includes("}")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === "{" || c === "}") && text[i + 1] === c) {
      out += c;
      i++;
    } else if (c === "}") {
      throw new SimlabError(`${origin}: unmatched } at column ${i + 1}`, "write }} for a literal brace");
    } else if (c === "{") {
      const end = text.indexOf("}", i + 1);
      const expression = text.slice(i + 1, end).trim();
      if (end < 0 || expression === "") {
        throw new SimlabError(`${origin}: ${end < 0 ? "unmatched {" : "empty {}"} at column ${i + 1}`, "{expr} inserts a notebook value; write {{ for a literal brace");
      }
      out += asText(await evaluateOrExplain(evaluate, expression, origin));
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

async function evaluateOrExplain(evaluate: (expression: string) => Promise<unknown>, expression: string, origin: string): Promise<unknown> {
  try {
    return await evaluate(`(${expression})`);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new SimlabError(`${origin}: cannot expand {${expression}}: ${message}`, "{expr} inserts the value of a notebook expression; write {{ for a literal brace");
  }
}

function asText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}
