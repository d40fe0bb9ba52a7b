/**
 * Makes compiled cell code interruptible: every loop body starts with a call to `__simlab_tick()`, which
 * throws once the user asked for an interrupt. This stops `while (true) {}` and
 * `while (true) { await Promise.resolve() }` — loops that never give the event loop a turn.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { applyEdits, type TextEdit } from "./text-edits.js";

export const TICK = "__simlab_tick";

export function instrumentLoops(ts: typeof TS, js: string): string {
  if (!/\b(?:for|while|do)\b/.test(js)) return js; // no loop: skip the parse
  const source = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: TextEdit[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isIterationStatement(node, false)) {
      const body = node.statement;
      if (ts.isBlock(body)) {
        edits.push({ start: body.getStart(source) + 1, end: body.getStart(source) + 1, text: `${TICK}();` });
      } else {
        edits.push({ start: body.getStart(source), end: body.getStart(source), text: `{${TICK}();` }, { start: body.getEnd(), end: body.getEnd(), text: "}" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return applyEdits(js, edits);
}
