import { writeFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { isSimlabError } from "../core/errors.js";
import type { ArgumentSpec } from "../args/types.js";
import { simlabKernelLaunch } from "../notebook/client.js";
import { saveNotebookFigures } from "../notebook/figures.js";
import { notebookHtml } from "../notebook/html.js";
import { readNotebook, writeNotebook, type Notebook } from "../notebook/ipynb.js";
import { installedKernelLaunch } from "../notebook/kernelspec.js";
import { parseParameters } from "../notebook/parameters.js";
import { describeFailure, runNotebook } from "../notebook/runner.js";
import { declaredCommand } from "./command.js";

const spec = {
  name: "simlab run",
  summary: "Execute a notebook headlessly through the simlab kernel",
  description:
    "Cells run in order in the notebook's folder; the run stops at the first error, names the cell and exits 1.\n" +
    "Parameters (papermill style): a cell tagged `parameters` is followed by an injected cell `const name = value;`\n" +
    "(numbers, booleans and JSON keep their type; anything else is a string).\n" +
    "Example: simlab run notebooks/tour.ipynb -o out.ipynb --html out.html -p size=256 -p tools=[\"cachegrind\"]",
  options: [
    { name: "output", short: "o", type: "string", help: "write the executed notebook here (default: not written)" },
    { name: "html", type: "string", help: "write a self-contained HTML report here" },
    { name: "figures", type: "string", help: "write every plotly figure as PNG into this folder (needs Chromium)" },
    { name: "parameter", short: "p", type: "string", repeatable: true, help: "a parameter as name=value" },
    { name: "timeout", type: "number", help: "seconds a cell may run before it is interrupted and the run fails" },
    { name: "kernel-name", type: "string", help: "run with this installed kernelspec instead of this simlab" },
  ],
  positionals: [{ name: "notebook", type: "string", required: true, help: "the .ipynb file to execute" }],
} as const satisfies ArgumentSpec;

export const command = declaredCommand(spec, async (args) => {
  const path = resolve(args.notebook);
  const source = await readNotebook(path);
  const parameters = parseParameters(args.parameter ?? []);
  const launch = args.kernelName !== undefined ? await installedKernelLaunch(args.kernelName) : simlabKernelLaunch();
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    process.stderr.write(`simlab run: ${path}\n`);
    const result = await runNotebook(source, {
      launch,
      parameters,
      cwd: dirname(path),
      ...(args.timeout !== undefined ? { timeoutMs: args.timeout * 1000 } : {}),
      progress: (line) => process.stderr.write(`${line}\n`),
      signal: controller.signal,
    });
    if (args.output !== undefined) await writeNotebook(args.output, result.notebook);
    if (args.html !== undefined) await writeFile(args.html, notebookHtml(result.notebook, basename(path, ".ipynb")));
    if (args.figures !== undefined) await saveFigures(result.notebook, args.figures, basename(path, ".ipynb"));
    if (result.failure) {
      process.stderr.write(`simlab run: ${describeFailure(result.failure)}\n`);
      return 1;
    }
    process.stderr.write("simlab run: done\n");
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
});

/** PNG export is optional (it needs Chromium): without it the run still succeeds, and says why no PNG was written. */
async function saveFigures(notebook: Notebook, dir: string, prefix: string): Promise<void> {
  try {
    const paths = await saveNotebookFigures(notebook, dir, prefix);
    process.stderr.write(`simlab run: ${paths.length} figure(s) written to ${dir}\n`);
  } catch (e) {
    if (!isSimlabError(e)) throw e;
    process.stderr.write(`simlab run: figures not written: ${e.format()}\n`);
  }
}
