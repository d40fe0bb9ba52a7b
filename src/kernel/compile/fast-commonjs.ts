/**
 * A shortcut for tslab's ESM → CommonJS step (a full `transpileModule`, ~2–3 ms a cell). Most cells declare and
 * import nothing (`1 + 1`, `plot(x)`, `await run()`); their ES module output differs from the CommonJS one only in
 * the statement that exports the last expression's value, which becomes an assignment to `exports`. Any other
 * module syntax (imports, exported declarations, `import(…)`, `import.meta`) returns undefined: use TypeScript.
 */
import type * as TS from "@tslab/typescript-for-tslab";

export function trivialModuleToCommonJs(ts: typeof TS, js: string): string | undefined {
  if (/\bimport\b/.test(js)) return undefined;
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const statements = file.statements;
  const isExport = (s: TS.Statement) =>
    ts.isExportDeclaration(s) || ts.isExportAssignment(s) || (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  // tslab prefixes every cell with `export {};` (to make it a module); in CommonJS it emits nothing.
  const isEmptyExport = (s: TS.Statement) =>
    ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause !== undefined && ts.isNamedExports(s.exportClause) && s.exportClause.elements.length === 0;
  const emptyExports = statements.filter(isEmptyExport);
  const exported = statements.filter((s) => isExport(s) && !isEmptyExport(s));
  const others = statements.filter((s) => !isEmptyExport(s));
  if (exported.length > 1 || (exported.length === 1 && exported[0] !== others[others.length - 1])) return undefined;
  const blanked = emptyExports.reduceRight((out, s) => out.slice(0, s.getStart(file)) + " ".repeat(s.end - s.getStart(file)) + out.slice(s.end), js);
  if (exported.length === 0) return blanked;
  const last = exported[0]!;
  if (!ts.isVariableStatement(last) || last.declarationList.declarations.length !== 1) return undefined;
  const declaration = last.declarationList.declarations[0]!;
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  // Blanking keeps offsets, so the statement's positions still hold in `blanked`.
  return `${blanked.slice(0, last.getStart(file))}exports.${declaration.name.text} = ${blanked.slice(declaration.initializer.getStart(file))}`;
}
