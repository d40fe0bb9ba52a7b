import type * as TS from "@tslab/typescript-for-tslab";

/** A `{ name }` or `{ name = default }` property somewhere in the text (cheap pre-check before parsing). */
const MAYBE_SHORTHAND = /[{,]\s*[A-Za-z_$][\w$]*\s*[,}=]/;

/**
 * Writes shorthand properties out in full: `{ foo }` → `{ foo: foo }` (and `{ foo = 1 } = o` → `{ foo: foo = 1 } = o`),
 * which means the same in every position. tslab's converter rewrites a reference to an earlier cell's variable
 * into `exports.foo`, but misses the shorthand form, so `({ foo })` failed with "foo is not defined" when `foo`
 * came from an earlier cell. Columns after an expanded property on the same line shift in diagnostics.
 */
export function expandShorthandProperties(ts: typeof TS, source: string): string {
  if (!MAYBE_SHORTHAND.test(source)) return source;
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const insertions: { at: number; text: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) insertions.push({ at: node.name.end, text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const { at, text } of insertions.reverse()) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
