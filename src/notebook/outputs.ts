import type { CodeCell, MimeData, Output } from "./ipynb.js";

/** Called for each new output as it is recorded (e.g. to save figures); `cellIndex` is its cell's position. */
export type OutputHook = (output: Output, cellIndex: number) => void;

/**
 * Turns the IOPub messages of executing cells into nbformat outputs, as Jupyter front ends do: consecutive
 * stream text merged, clear_output (with wait), and update_display_data replacing every output shown with
 * that display_id, in any cell.
 */
export class OutputRecorder {
  private readonly displays = new Map<string, Extract<Output, { output_type: "display_data" }>[]>();
  private clearPending = false;

  constructor(private readonly onOutput?: OutputHook) {}

  /** Records one IOPub message (by type and content) into `cell`. Unknown types are ignored. */
  record(cell: CodeCell, cellIndex: number, msgType: string, content: Record<string, unknown>): void {
    switch (msgType) {
      case "stream": {
        const name = content.name === "stderr" ? "stderr" : "stdout";
        const text = String(content.text ?? "");
        this.applyPendingClear(cell);
        const last = cell.outputs[cell.outputs.length - 1];
        if (last?.output_type === "stream" && last.name === name) {
          last.text = `${typeof last.text === "string" ? last.text : last.text.join("")}${text}`;
        } else {
          this.add(cell, cellIndex, { output_type: "stream", name, text });
        }
        return;
      }
      case "display_data": {
        const output = { output_type: "display_data" as const, data: mimeData(content.data), metadata: objectOf(content.metadata) };
        this.add(cell, cellIndex, output);
        const id = displayId(content);
        if (id !== undefined) this.displays.set(id, [...(this.displays.get(id) ?? []), output]);
        return;
      }
      case "update_display_data": {
        const id = displayId(content);
        for (const output of id === undefined ? [] : (this.displays.get(id) ?? [])) {
          output.data = mimeData(content.data);
          output.metadata = objectOf(content.metadata);
        }
        return;
      }
      case "execute_result":
        this.add(cell, cellIndex, {
          output_type: "execute_result",
          execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
          data: mimeData(content.data),
          metadata: objectOf(content.metadata),
        });
        return;
      case "error":
        this.add(cell, cellIndex, {
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return;
      case "clear_output":
        if (content.wait === true) this.clearPending = true;
        else cell.outputs = [];
        return;
    }
  }

  private applyPendingClear(cell: CodeCell): void {
    if (this.clearPending) {
      cell.outputs = [];
      this.clearPending = false;
    }
  }

  private add(cell: CodeCell, cellIndex: number, output: Output): void {
    this.applyPendingClear(cell);
    cell.outputs.push(output);
    this.onOutput?.(output, cellIndex);
  }
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function mimeData(value: unknown): MimeData {
  return objectOf(value);
}

function displayId(content: Record<string, unknown>): string | undefined {
  const id = objectOf(content.transient).display_id;
  return typeof id === "string" ? id : undefined;
}
