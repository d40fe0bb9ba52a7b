/**
 * Makes compiled cell code interruptible: every loop body starts with a call to `__simlab_tick()`, which
 * throws once the user asked for an interrupt. This stops `while (true) {}` and
 * `while (true) { await Promise.resolve() }` — loops that never give the event loop a turn.
 */
import type * as TS from "@tslab/typescript-for-tslab";

export const TICK = "__simlab_tick";

interface Edit {
  at: number;
  text: string;
}

export function instrumentLoops(ts: typeof TS, js: string): string {
  if (!/\b(?:for|while|do)\b/.test(js)) return js; // no loop: skip the parse
  const source = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isIterationStatement(node, false)) {
      const body = node.statement;
      if (ts.isBlock(body)) {
        edits.push({ at: body.getStart(source) + 1, text: `${TICK}();` });
      } else {
        edits.push({ at: body.getStart(source), text: `{${TICK}();` }, { at: body.getEnd(), text: "}" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  edits.sort((a, b) => b.at - a.at);
  let out = js;
  for (const edit of edits) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}
