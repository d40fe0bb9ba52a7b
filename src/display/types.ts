/** A Jupyter MIME bundle: MIME type → data (string for text types, JSON value otherwise). */
export type MimeBundle = Record<string, unknown>;

/**
 * Any object with this method displays richly in the kernel (like IPython's `_repr_mimebundle_`).
 * Plot figures, sweep progress and other simlab objects implement it; the kernel's display layer
 * also knows arquero tables without it.
 */
export const toMimeBundle: unique symbol = Symbol.for("simlab.toMimeBundle") as never;

export interface Displayable {
  [toMimeBundle](): MimeBundle;
}

export function isDisplayable(value: unknown): value is Displayable {
  return typeof value === "object" && value !== null && typeof (value as Partial<Displayable>)[toMimeBundle] === "function";
}

/** Where displays go: the kernel implements this over display_data / update_display_data; the CLI over stdout. */
export interface DisplaySink {
  /** Shows a value (Displayable, arquero table, plain value). With `displayId`, later updates replace it. */
  display(value: unknown, options?: { displayId?: string }): void;
  /** Replaces the output previously shown with `displayId`. */
  update(displayId: string, value: unknown): void;
  /** Clears the cell's output so far (with `wait`, when the next output arrives). Optional. */
  clear?(wait: boolean): void;
}
