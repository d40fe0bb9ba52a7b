import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sourceText, type Cell, type MimeData, type Notebook, type Output } from "./ipynb.js";
import { escapeHtml } from "../display/escape-html.js";

/**
 * A self-contained HTML report of a notebook that renders offline: code, outputs in the priority
 * plotly > text/html > image/png > image/svg+xml > text/plain, and plotly.js inlined once if any figure needs it.
 */

const PLOTLY_MIME = "application/vnd.plotly.v1+json";


/** Terminal colour codes (tracebacks) are noise in HTML. */
function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function text(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value ?? "");
}

/** Just enough Markdown for notebook prose: headings, lists, paragraphs, code, emphasis, links. */
export function renderMarkdown(markdown: string): string {
  const inline = (line: string) =>
    escapeHtml(line)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/\*([^*]+)\*/g, "<em>$1</em>")
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
  const html: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  let fence: string[] | undefined;
  const flush = () => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(" "))}</p>`); // emphasis may span lines
    if (list.length) html.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join("")}</ul>`);
    paragraph = [];
    list = [];
  };
  for (const line of markdown.split("\n")) {
    if (fence) {
      if (line.trim().startsWith("```")) {
        html.push(`<pre><code>${escapeHtml(fence.join("\n"))}</code></pre>`);
        fence = undefined;
      } else fence.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (line.trim().startsWith("```")) {
      flush();
      fence = [];
    } else if (heading) {
      flush();
      html.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (item) {
      if (paragraph.length) flush();
      list.push(item[1]!);
    } else if (line.trim() === "") flush();
    else {
      if (list.length) flush();
      paragraph.push(line);
    }
  }
  if (fence) html.push(`<pre><code>${escapeHtml(fence.join("\n"))}</code></pre>`);
  flush();
  return html.join("\n");
}

/** Renders one MIME bundle by priority; `figure` numbers plotly divs uniquely in the page. */
function renderData(data: MimeData, figure: () => string): string {
  if (data[PLOTLY_MIME] !== undefined) {
    const spec = data[PLOTLY_MIME] as { data?: unknown; layout?: unknown; config?: unknown };
    const id = figure();
    return `<div class="plotly" id="${id}"></div><script>Plotly.newPlot(${scriptJson(id)}, ${scriptJson(spec.data ?? [])}, ${scriptJson(spec.layout ?? {})}, ${scriptJson({ responsive: true, ...(spec.config as object | undefined) })});</script>`;
  }
  if (data["text/html"] !== undefined) return `<div class="html">${text(data["text/html"])}</div>`;
  if (data["image/png"] !== undefined) return `<img alt="figure" src="data:image/png;base64,${text(data["image/png"]).replace(/\s/g, "")}">`;
  if (data["image/svg+xml"] !== undefined) return `<div class="svg">${text(data["image/svg+xml"])}</div>`;
  if (data["text/plain"] !== undefined) return `<pre>${escapeHtml(text(data["text/plain"]))}</pre>`;
  return "";
}

function renderOutput(output: Output, figure: () => string): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="${output.name}">${escapeHtml(text(output.text))}</pre>`;
    case "error": {
      const trace = output.traceback.length ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
      return `<pre class="error">${escapeHtml(stripAnsi(trace))}</pre>`;
    }
    case "display_data":
    case "execute_result":
      return renderData(output.data, figure);
  }
}

function renderCell(cell: Cell, figure: () => string): string {
  const source = sourceText(cell.source);
  if (cell.cell_type !== "code") {
    return cell.cell_type === "markdown"
      ? `<section class="markdown">${renderMarkdown(source)}</section>`
      : `<section class="raw"><pre>${escapeHtml(source)}</pre></section>`;
  }
  const prompt = `[${cell.execution_count ?? " "}]`;
  const outputs = cell.outputs.map((o) => renderOutput(o, figure)).join("\n");
  return `<section class="code"><div class="input"><span class="prompt">In ${prompt}:</span><pre>${escapeHtml(source)}</pre></div>${outputs ? `<div class="outputs">${outputs}</div>` : ""}</section>`;
}

const style = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{margin:1rem 0}.input{display:flex;gap:.5rem}.prompt{color:#307fc1;font-family:monospace;white-space:nowrap}
.input pre{flex:1;background:#f5f5f5;border:1px solid #ddd;padding:.5rem;margin:0;overflow:auto}
.outputs{margin-left:4.5rem}pre{white-space:pre-wrap;font-size:.9rem}.stderr{background:#fdd}.error{background:#fdd;color:#700}
.outputs{min-width:0;overflow-x:auto}table{border-collapse:collapse;font-size:.85rem}
td,th{border:1px solid #ccc;padding:2px 6px;white-space:nowrap}img{max-width:100%}`;

let plotlySource: string | undefined;

/** plotly.js from node_modules, read once. */
export function plotlyBundle(): string {
  plotlySource ??= readFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  return plotlySource;
}

export function notebookHtml(nb: Notebook, title: string): string {
  let figures = 0;
  const figure = () => `plotly-figure-${++figures}`;
  const body = nb.cells.map((cell) => renderCell(cell, figure)).join("\n");
  // The library goes in the head, before the figures' scripts run; only when a figure needs it.
  const plotly = figures > 0 ? `<script>${plotlyBundle().replace(/<\/script/gi, "<\\/script")}</script>` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
${plotly}
</head>
<body>
${body}
</body>
</html>
`;
}
