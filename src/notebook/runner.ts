import { SimlabError } from "../core/errors.js";
import { KernelClient, type KernelLaunch } from "./client.js";
import { firstLine, sourceText, type CodeCell, type Notebook } from "./ipynb.js";
import { OutputRecorder, type OutputHook } from "./outputs.js";
import { injectParameters, type Parameters } from "./parameters.js";

export interface RunOptions {
  launch: KernelLaunch;
  /** papermill-style parameters, injected after the cell tagged `parameters`. */
  parameters?: Parameters;
  /** Per-cell limit; a cell still running is interrupted and the run fails. */
  timeoutMs?: number;
  /** Directory the kernel runs in (relative paths in the notebook resolve from here). */
  cwd?: string;
  /** Each output as it is recorded (the hook for saving figures). */
  onOutput?: OutputHook;
  /** One line per executed cell. */
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

/** The first cell that failed: its index in the executed notebook, first source line and error. */
export interface CellFailure {
  cellIndex: number;
  firstLine: string;
  ename: string;
  evalue: string;
}

export interface RunResult {
  /** The executed notebook: outputs and execution counts up to the failing cell, later cells cleared. */
  notebook: Notebook;
  failure?: CellFailure;
}

export function describeFailure(f: CellFailure): string {
  return `cell ${f.cellIndex} (${f.firstLine || "empty"}) failed: ${f.ename}${f.evalue ? `: ${f.evalue}` : ""}`;
}

/** A copy with every code cell's outputs and execution count cleared. */
function cleared(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((cell) => (cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : { ...cell })),
  };
}

/**
 * Executes a notebook's code cells in order through a freshly started kernel, recording outputs like
 * nbconvert; stops at the first error. Always shuts the kernel down.
 */
export async function runNotebook(source: Notebook, options: RunOptions): Promise<RunResult> {
  const notebook = cleared(injectParameters(source, options.parameters ?? new Map()));
  const codeCells = notebook.cells.flatMap((cell, index) => (cell.cell_type === "code" && sourceText(cell.source).trim() !== "" ? [index] : []));
  const recorder = new OutputRecorder(options.onOutput);
  const client = await KernelClient.start(options.launch, { ...(options.cwd ? { cwd: options.cwd } : {}) });
  const interrupted = new Promise<never>((_, reject) => {
    const stop = () => reject(new SimlabError("interrupted; the kernel was shut down", "the partial notebook was not written"));
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener("abort", stop, { once: true });
  });
  interrupted.catch(() => undefined);
  try {
    for (const [position, index] of codeCells.entries()) {
      const cell = notebook.cells[index] as CodeCell;
      const started = performance.now();
      let failure: CellFailure | undefined;
      try {
        const reply = await Promise.race([
          client.execute(sourceText(cell.source), {
            onIopub: (type, content) => recorder.record(cell, index, type, content),
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          }),
          interrupted,
        ]);
        cell.execution_count = reply.executionCount;
        const errorOutput = cell.outputs.find((o) => o.output_type === "error");
        if (reply.status !== "ok" || errorOutput) {
          failure = {
            cellIndex: index,
            firstLine: firstLine(cell),
            ename: reply.ename ?? (errorOutput?.output_type === "error" ? errorOutput.ename : reply.status),
            evalue: reply.evalue ?? (errorOutput?.output_type === "error" ? errorOutput.evalue : ""),
          };
        }
      } catch (e) {
        if (!(e instanceof SimlabError) || options.signal?.aborted) throw e;
        failure = { cellIndex: index, firstLine: firstLine(cell), ename: "SimlabError", evalue: e.message };
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      options.progress?.(`[${position + 1}/${codeCells.length}] ${failure ? "error" : "ok   "} ${seconds.padStart(6)} s  cell ${index}: ${firstLine(cell)}`);
      if (failure) return { notebook, failure };
    }
    return { notebook };
  } finally {
    await client.shutdown();
  }
}
