import { html, markdown } from "../display/rich.js";
import { defineMagic, type MagicSpec } from "./types.js";

/** The display family: %%html and %%markdown show the cell's text as that MIME type. */

const htmlCell = defineMagic({
  name: "html",
  kind: "cell",
  summary: "Show the cell as HTML",
  description: "Example:\n  %%html\n  <b>bold</b> and <i>italic</i>",
}, async (_args, ctx) => html(ctx.body ?? ""));

const markdownCell = defineMagic({
  name: "markdown",
  kind: "cell",
  summary: "Show the cell as Markdown",
  description: "Example:\n  %%markdown\n  **Results** of the *second* sweep",
}, async (_args, ctx) => markdown(ctx.body ?? ""));

export const magics: readonly MagicSpec[] = [htmlCell, markdownCell];
