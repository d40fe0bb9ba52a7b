import { fromArrow, type ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";

/** Reads Arrow IPC bytes (file format `.arrow`/`.feather` v2, or stream format `.arrows`) into a table. */
export function fromArrowBytes(bytes: Uint8Array, source = "the data"): ColumnTable {
  try {
    return fromArrow(bytes);
  } catch (e) {
    throw new SimlabError(`${source} is not a readable Arrow IPC file: ${e instanceof Error ? e.message : String(e)}`, "Feather v1 files are not supported; re-save as Arrow IPC (pyarrow.feather.write_feather, version 2)");
  }
}
