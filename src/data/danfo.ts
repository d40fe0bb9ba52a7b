import type { ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { fromRecords } from "./from-records.js";

/** The little of danfojs-node's DataFrame this adapter uses. */
export interface DanfoFrame {
  readonly columns: string[];
  readonly values: unknown[][];
}
interface DanfoModule {
  DataFrame: new (data: Record<string, unknown[]>, options?: { columns?: string[] }) => DanfoFrame;
}

export const danfoInstallHint =
  'danfojs-node is optional and not installed. To use it: add to package.json "overrides": {"xlsx": "0.18.5", ' +
  '"@tensorflow/tfjs-node": "npm:@tensorflow/tfjs@3.21.0"}, then run `npm install danfojs-node@1.2.0` (~340 MB; stores float32)';

/** Imports danfojs-node when it is installed; a SimlabError with the install recipe otherwise. */
export async function importDanfo(moduleName = "danfojs-node"): Promise<DanfoModule> {
  try {
    const mod = (await import(moduleName)) as Partial<DanfoModule> & { default?: Partial<DanfoModule> };
    const danfo = mod.DataFrame ? mod : mod.default;
    if (!danfo?.DataFrame) throw new Error("no DataFrame export");
    return danfo as DanfoModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") throw new SimlabError(`${moduleName} is not installed`, danfoInstallHint);
    throw new SimlabError(`${moduleName} could not be loaded: ${e instanceof Error ? e.message : String(e)}`, danfoInstallHint);
  }
}

/** An arquero table as a danfo DataFrame (optional dependency). */
export async function toDanfo(table: ColumnTable): Promise<DanfoFrame> {
  const { DataFrame } = await importDanfo();
  const names = table.columnNames();
  const data = Object.fromEntries(names.map((n) => [n, Array.from(table.array(n) as ArrayLike<unknown>)]));
  return new DataFrame(data, { columns: names });
}

/** A danfo DataFrame as an arquero table. */
export function fromDanfo(frame: DanfoFrame): ColumnTable {
  const names = frame.columns;
  return fromRecords(frame.values.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))), names);
}
