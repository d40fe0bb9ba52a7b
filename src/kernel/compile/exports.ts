/**
 * How compiled cells reach the notebook's scope (the `exports` object tslab's output writes to). TypeScript emits
 * `Object.defineProperty(exports, "name", { get })` for imported names; the runtime's scope is a plain object (fast
 * for the write-through of every top-level assignment), so those calls go to the runtime's DEFINE_EXPORT instead,
 * which stores plain values.
 */
export const DEFINE_EXPORT = "__simlab_define_export";

/** The variable tslab assigns a cell's last expression to. */
export const LAST_EXPRESSION = "tsLastExpr";

export function routeExportDefinitions(js: string): string {
  return js.replace(/\bObject\.defineProperty\(exports, /g, `${DEFINE_EXPORT}(exports, `);
}
