/**
 * Rich output from notebook code, like IPython.display's HTML, Markdown, SVG, Image and Latex: each helper returns
 * a value that shows as that MIME type when it is a cell's result or passed to `display`. `rawBundle` takes a
 * MIME bundle written by hand (`display({ "text/html": "…" }, { raw: true })`).
 */
import { readFileSync } from "node:fs";
import { SimlabError } from "../core/errors.js";
import { type Displayable, type MimeBundle, toMimeBundle } from "./types.js";

/** A MIME bundle that displays as itself; `bundle` shows what a frontend receives. */
export class RichOutput implements Displayable {
  constructor(readonly bundle: Readonly<MimeBundle>) {}

  [toMimeBundle](): MimeBundle {
    return { ...this.bundle };
  }
}

function textArgument(helper: string, value: unknown): string {
  if (typeof value !== "string") throw new SimlabError(`${helper}(): expected a string, got ${value === null ? "null" : typeof value}`, `write ${helper}(\`…\`)`);
  return value;
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

export function html(source: string): RichOutput {
  const text = textArgument("html", source);
  return new RichOutput({ "text/html": text, "text/plain": `<HTML ${preview(text)}>` });
}

export function markdown(source: string): RichOutput {
  const text = textArgument("markdown", source);
  return new RichOutput({ "text/markdown": text, "text/plain": text });
}

export function latex(source: string): RichOutput {
  const text = textArgument("latex", source);
  return new RichOutput({ "text/latex": text, "text/plain": text });
}

export function svg(source: string): RichOutput {
  const text = textArgument("svg", source);
  if (!/<svg[\s>]/i.test(text)) throw new SimlabError("svg(): the text has no <svg> element", "pass the SVG document's text, or image(path) for a file");
  return new RichOutput({ "image/svg+xml": text, "text/plain": "<SVG image>" });
}

/** The image type of a file's first bytes: PNG, JPEG or GIF. */
export function imageType(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/gif" | undefined {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  return undefined;
}

/** An image from its bytes or a file path: PNG, JPEG or GIF by their magic bytes, SVG by its text. */
export function image(bytesOrPath: Uint8Array | string): RichOutput {
  let bytes: Uint8Array;
  let what: string;
  if (typeof bytesOrPath === "string") {
    what = bytesOrPath;
    try {
      bytes = readFileSync(bytesOrPath);
    } catch (e) {
      throw new SimlabError(`image(): cannot read ${bytesOrPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "check the path (relative paths start at the notebook's folder; %pwd shows it)");
    }
  } else if (bytesOrPath instanceof Uint8Array) {
    what = `${bytesOrPath.length} bytes`;
    bytes = bytesOrPath;
  } else {
    throw new SimlabError(`image(): expected bytes (Uint8Array, Buffer) or a file path, got ${bytesOrPath === null ? "null" : typeof bytesOrPath}`, "image(readFileSync(\"plot.png\")) or image(\"plot.png\")");
  }
  const type = imageType(bytes);
  if (type) return new RichOutput({ [type]: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"), "text/plain": `<${type.slice(6).toUpperCase()} image, ${bytes.length} bytes>` });
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString("utf8");
  if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(text)) return svg(Buffer.from(bytes).toString("utf8"));
  throw new SimlabError(`image(): ${what} is not a PNG, JPEG, GIF or SVG image`, "pass the bytes of an image file, or its path");
}

/** A hand-written MIME bundle, checked: MIME-type keys; text types (text/*, SVG) and base64 images as strings. */
export function rawBundle(value: unknown): RichOutput {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SimlabError("display(…, { raw: true }): expected a MIME bundle object like { \"text/html\": \"<b>hi</b>\" }", "drop { raw: true } to display the value itself");
  }
  const bundle = value as Record<string, unknown>;
  const keys = Object.keys(bundle);
  if (keys.length === 0) throw new SimlabError("display(…, { raw: true }): the MIME bundle is empty", "give at least one MIME type, e.g. { \"text/plain\": \"…\" }");
  for (const key of keys) {
    if (!/^[a-z]+\/[\w.+-]+$/i.test(key)) throw new SimlabError(`display(…, { raw: true }): '${key}' is not a MIME type`, "keys are MIME types such as text/html, text/markdown, image/png");
    const needsText = key.startsWith("text/") || key === "image/svg+xml" || /^image\/(png|jpeg|gif)$/.test(key);
    if (needsText && typeof bundle[key] !== "string") throw new SimlabError(`display(…, { raw: true }): the value of ${key} must be a string`, key.startsWith("image/") && key !== "image/svg+xml" ? "images are base64 text" : "pass the text itself");
  }
  return new RichOutput({ ...bundle });
}
