/**
 * The display API for notebook code (`import { display, updateDisplay } from "simlab"`, also globals in cells).
 * Inside the kernel, displays become display_data / update_display_data messages; elsewhere (CLI, scripts)
 * the text/plain form is printed.
 */
import { mimeBundle } from "./mime.js";
import { rawBundle } from "./rich.js";
import type { DisplaySink } from "./types.js";

export { mimeBundle, plainText } from "./mime.js";
export { isTableLike, tableBundle } from "./table.js";
export type { DisplaySink, Displayable, MimeBundle } from "./types.js";
export { isDisplayable, toMimeBundle } from "./types.js";
export { html, image, imageType, latex, markdown, rawBundle, RichOutput, svg } from "./rich.js";

/** Prints text/plain to stdout: the sink outside a kernel. */
export const consoleSink: DisplaySink = {
  display(value) {
    process.stdout.write(`${String(mimeBundle(value)["text/plain"])}\n`);
  },
  update(_displayId, value) {
    process.stdout.write(`${String(mimeBundle(value)["text/plain"])}\n`);
  },
};

// Kept on globalThis so every copy of this module (ESM import, require of "simlab") shares the kernel's sink.
const SINK_KEY = Symbol.for("simlab.displaySink");
type SinkHolder = { [SINK_KEY]?: DisplaySink };

export function currentDisplaySink(): DisplaySink {
  return (globalThis as SinkHolder)[SINK_KEY] ?? consoleSink;
}

/** Installs the sink displays go to (the kernel does this); returns the previous one. */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const previous = (globalThis as SinkHolder)[SINK_KEY];
  (globalThis as SinkHolder)[SINK_KEY] = sink;
  return previous;
}

export interface DisplayOptions {
  /** Later `updateDisplay(displayId, …)` calls replace this output (progress bars). */
  displayId?: string;
  /** `value` is a MIME bundle (`{ "text/html": "…" }`) to show as is, not a value to render. */
  raw?: boolean;
}

/** Shows `value` richly. With `displayId`, `updateDisplay(displayId, …)` later replaces it (progress bars). */
export function display(value: unknown, options?: DisplayOptions): void {
  currentDisplaySink().display(options?.raw ? rawBundle(value) : value, options?.displayId === undefined ? undefined : { displayId: options.displayId });
}

export function updateDisplay(displayId: string, value: unknown, options?: { raw?: boolean }): void {
  currentDisplaySink().update(displayId, options?.raw ? rawBundle(value) : value);
}

/** Clears the cell's output (in the kernel); `wait` defers it until new output arrives, to avoid flicker. */
export function clearOutput(wait = false): void {
  currentDisplaySink().clear?.(wait);
}
