import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { closeBrowser } from "../plot/browser.js";
import { saveFigure } from "../plot/export.js";
import { plotlyMimeType, type FigureJSON } from "../plot/figure.js";
import type { Notebook } from "./ipynb.js";

/** The plotly figures among a notebook's outputs, named by cell and position: `cell3-1`. */
export function notebookFigures(notebook: Notebook): { name: string; figure: FigureJSON }[] {
  const found: { name: string; figure: FigureJSON }[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    let k = 0;
    for (const output of cell.outputs) {
      if (output.output_type !== "display_data" && output.output_type !== "execute_result") continue;
      const figure = output.data[plotlyMimeType];
      if (typeof figure === "object" && figure !== null) found.push({ name: `cell${index + 1}-${++k}`, figure: figure as FigureJSON });
    }
  });
  return found;
}

/** Writes every figure of an executed notebook as `<prefix>-cellN-K.png` into `dir`; returns the paths. */
export async function saveNotebookFigures(notebook: Notebook, dir: string, prefix: string): Promise<string[]> {
  const figures = notebookFigures(notebook);
  if (figures.length === 0) return [];
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  try {
    for (const { name, figure } of figures) {
      const path = join(dir, `${prefix}-${name}.png`);
      await saveFigure(figure, path, { scale: 2 });
      paths.push(path);
    }
  } finally {
    await closeBrowser();
  }
  return paths;
}
