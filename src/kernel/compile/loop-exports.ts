/**
 * Top-level loops at function speed. tslab keeps the notebook's scope current by writing every assignment to a
 * cell's top-level variable through to `exports` (`exports.s = s += i`), which costs a property store per
 * iteration. Inside a top-level loop (not in functions it creates) those stores are dropped, and the loop is wrapped
 * in `try { … } finally { exports.s = s; }`, so the scope is updated once — also when the loop throws or is
 * interrupted (the instrumented loop's tick throws synchronously, so the `finally` runs before the cell ends).
 * Only for cells without top-level await: an interrupted await leaves the cell suspended, its `finally` not yet run.
 * Edits stay on their lines, so the cell's line table (source-lines.ts) still holds.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { applyEdits, type TextEdit } from "./text-edits.js";

/** The `let`/`var` names the cell itself declares at top level: only these have a local binding to fall back on. */
function reassignableLocals(ts: typeof TS, file: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement) && !(statement.declarationList.flags & ts.NodeFlags.Const)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    }
  }
  return names;
}

export function deferLoopExports(ts: typeof TS, js: string): string {
  if (!/\b(?:for|while|do)\b/.test(js)) return js;
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const locals = reassignableLocals(ts, file);
  if (locals.size === 0) return js;
  const edits: TextEdit[] = [];
  for (const statement of file.statements) {
    if (!ts.isIterationStatement(statement, false)) continue;
    const written = new Set<string>();
    const visit = (node: TS.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return; // closures keep writing through
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        ts.isIdentifier(node.left.expression) &&
        node.left.expression.text === "exports" &&
        locals.has(node.left.name.text)
      ) {
        // `exports.s = RHS` → `RHS`: an assignment is the lowest-precedence expression, so RHS parses the same in its place.
        written.add(node.left.name.text);
        edits.push({ start: node.left.getStart(file), end: node.right.getStart(file), text: "" });
      }
      ts.forEachChild(node, visit);
    };
    visit(statement);
    if (written.size === 0) continue;
    const sync = [...written].map((name) => `exports.${name} = ${name};`).join(" ");
    edits.push({ start: statement.getStart(file), end: statement.getStart(file), text: "try { " }, { start: statement.end, end: statement.end, text: ` } finally { ${sync} }` });
  }
  return applyEdits(js, edits);
}
