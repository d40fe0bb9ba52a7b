/**
 * A shortcut for tslab's ESM → CommonJS step (a full `transpileModule`: ~2–3 ms a cell on an idle machine, 15–20 ms
 * on a loaded one). tslab's ES module is the cell's own statements, `export const tsLastExpr = …` for the last
 * expression and one `export { a, f, K };` list of what the cell declares. For a cell that imports nothing and
 * declares only constants, functions and classes, the CommonJS form differs only in the exports: TypeScript first
 * sets every exported name to undefined (`exports.K = exports.f = exports.a = exports.tsLastExpr = void 0;`),
 * writes `exports.a = a;` after each declaration, drops the list, and assigns the last expression to `exports`.
 * Everything else returns undefined and takes TypeScript's path: imports, `import(…)`, renamed or re-exported
 * names, destructuring, and `let`/`var` (TypeScript rewrites every later assignment of those to write through to
 * `exports`; constants, functions and classes cannot be reassigned — the type check refuses it).
 * Every edit stays on its line, so the cell's line table (source-lines.ts) holds without a source map.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { applyEdits, type TextEdit } from "./text-edits.js";
import { LAST_EXPRESSION } from "./exports.js";

export function trivialModuleToCommonJs(ts: typeof TS, js: string): string | undefined {
  if (/\bimport\b/.test(js)) return undefined;
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const declaredBy = new Map<string, TS.Statement>(); // top-level constants, functions and classes
  for (const s of file.statements) for (const name of unassignableNames(ts, s)) declaredBy.set(name, s);
  const edits: TextEdit[] = [];
  const blank = (s: TS.Statement) => edits.push({ start: s.getStart(file), end: s.end, text: " ".repeat(s.end - s.getStart(file)) });
  const exported: string[] = []; // in the order TypeScript's `void 0` line assigns them
  for (const s of file.statements) {
    if (ts.isExportDeclaration(s)) {
      if (s.moduleSpecifier || s.isTypeOnly || !s.exportClause || !ts.isNamedExports(s.exportClause)) return undefined;
      for (const element of s.exportClause.elements) {
        const name = element.name.text;
        const declaration = declaredBy.get(name);
        if (element.propertyName || declaration === undefined) return undefined;
        edits.push({ start: declaration.end, end: declaration.end, text: ` exports.${name} = ${name};` });
        exported.push(name);
      }
      blank(s);
      continue;
    }
    if (ts.isExportAssignment(s)) return undefined;
    const exportKeyword = ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exportKeyword) continue;
    const last = ts.isVariableStatement(s) && s.declarationList.declarations.length === 1 ? s.declarationList.declarations[0]! : undefined;
    if (!last || !ts.isIdentifier(last.name) || last.name.text !== LAST_EXPRESSION || !last.initializer) return undefined;
    // `export const tsLastExpr = E` → `exports.tsLastExpr = E`: no local binding is needed.
    edits.push({ start: s.getStart(file), end: last.initializer.getStart(file), text: `exports.${LAST_EXPRESSION} = ` });
    exported.push(LAST_EXPRESSION);
  }
  if (exported.length > 0) edits.push({ start: 0, end: 0, text: `${[...exported].reverse().map((n) => `exports.${n} = `).join("")}void 0; ` });
  return applyEdits(js, edits);
}

/** The names a top-level statement declares that cannot be reassigned: a function, a class, or `const x = …`. */
function unassignableNames(ts: typeof TS, s: TS.Statement): string[] {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) return [s.name.text];
  if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) return [];
  const names = s.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : undefined));
  return names.every((n) => n !== undefined) ? (names as string[]) : [];
}
