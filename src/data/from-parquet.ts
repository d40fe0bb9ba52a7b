import type { ColumnTable } from "arquero";
import { table } from "arquero";
import { parquetMetadata, parquetRead, type FileMetaData } from "hyparquet";
import { SimlabError } from "../core/errors.js";

/** Reads a Parquet file's bytes into a table through hyparquet (pure JS). INT64 values become numbers. */
export async function fromParquetBytes(bytes: Uint8Array, source = "the data"): Promise<ColumnTable> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (e) {
    throw new SimlabError(`${source} is not a readable Parquet file: ${e instanceof Error ? e.message : String(e)}`, "check that the file was completely written");
  }
  const names = metadata.schema[0]?.num_children ? topLevelNames(metadata) : [];
  const rows = Number(metadata.num_rows);
  const columns: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, new Array<unknown>(rows)]));
  try {
    await parquetRead({
      file,
      metadata,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const target = columns[columnName];
        if (!target) return;
        for (let i = 0; i < columnData.length; i++) {
          const v: unknown = columnData[i];
          target[rowStart + i] = typeof v === "bigint" ? Number(v) : v;
        }
      },
    });
  } catch (e) {
    throw new SimlabError(`${source}: Parquet data could not be decoded: ${e instanceof Error ? e.message : String(e)}`, "check that the file was completely written");
  }
  return table(columns, names);
}

/** The names of the schema's top-level columns (the root's direct children). */
function topLevelNames(metadata: FileMetaData): string[] {
  const names: string[] = [];
  const schema = metadata.schema;
  let i = 1;
  const skip = (index: number): number => {
    // returns the index after the subtree rooted at `index`
    let next = index + 1;
    for (let c = 0; c < (schema[index]?.num_children ?? 0); c++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    names.push(schema[i]!.name);
    i = skip(i);
  }
  return names;
}
