/** Turns any value into a Jupyter MIME bundle: Displayable objects, arquero tables, then plain values. */
import { inspect } from "node:util";
import { collectionBundle } from "./collections.js";
import { RichOutput } from "./rich.js";
import { tableBundle, isTableLike } from "./table.js";
import { type MimeBundle, isDisplayable, toMimeBundle as bundleOf } from "./types.js";

export function plainText(value: unknown): string {
  return typeof value === "string" ? inspect(value) : inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 });
}

/** The MIME bundle of any value (named so it does not clash with the `toMimeBundle` symbol of Displayable). */
export function mimeBundle(value: unknown): MimeBundle {
  if (value instanceof RichOutput) return value[bundleOf](); // built on purpose, shown exactly as given
  if (isDisplayable(value)) {
    const bundle = value[bundleOf]();
    return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": plainText(value) };
  }
  if (isTableLike(value)) return tableBundle(value);
  const text = plainText(value);
  return collectionBundle(value, text) ?? { "text/plain": text };
}
