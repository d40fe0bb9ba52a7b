/**
 * The globals the runtime worker defines for every cell (display, html, input, …; see ../runtime/worker.ts), declared
 * to the type checker in a file of their own that every program includes. It is parsed once per process: kept in
 * the earlier cells' declarations instead, it was parsed, bound and printed again for every cell.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { overlayHost } from "./host-overlay.js";

const PRELUDE = [
  "/** Shows a value richly; with `raw: true` the value is a MIME bundle shown as is (`{ \"text/html\": …}`). */",
  "declare function display(value: unknown, options?: { displayId?: string; raw?: boolean }): void;",
  "declare function updateDisplay(displayId: string, value: unknown, options?: { raw?: boolean }): void;",
  "/** Output that shows as its MIME type when it is a cell's result or passed to display(). */",
  "interface RichOutput { readonly bundle: Readonly<Record<string, unknown>> }",
  "declare function html(source: string): RichOutput;",
  "declare function markdown(source: string): RichOutput;",
  "declare function latex(source: string): RichOutput;",
  "declare function svg(source: string): RichOutput;",
  "/** PNG, JPEG or GIF (by their magic bytes) or SVG, from bytes or a file path. */",
  "declare function image(bytesOrPath: Uint8Array | string): RichOutput;",
  "declare function clearOutput(wait?: boolean): void;",
  "/** Asks the user for a line of text through the notebook (Jupyter stdin); fails if the frontend allows no input. */",
  "declare function input(prompt?: string, options?: { password?: boolean }): Promise<string>;",
].join("\n");

/** A name no file on disk has; programs find it through `withPrelude`'s host. */
export const PRELUDE_FILE = "/__simlab_prelude__.d.ts";

let parsed: TS.SourceFile | undefined;

/** `host`, answering for PRELUDE_FILE with the same parsed file every time. */
export function withPrelude(ts: typeof TS, host: TS.CompilerHost): TS.CompilerHost {
  return overlayHost(host, (fileName, wanted) => {
    if (fileName !== PRELUDE_FILE) return undefined;
    const languageVersion = typeof wanted === "object" ? wanted.languageVersion : wanted;
    if (parsed?.languageVersion !== languageVersion) parsed = ts.createSourceFile(PRELUDE_FILE, PRELUDE, wanted);
    return parsed;
  });
}
