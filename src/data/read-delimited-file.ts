import { open } from "node:fs/promises";
import type { ColumnTable } from "arquero";
import { DelimitedReader, type DelimitedTextOptions } from "./from-csv.js";
import { Utf8Stream } from "./utf8.js";

/** Bytes read at a time: large enough that per-read costs vanish, small beside a large file's columns. */
const CHUNK_BYTES = 16 << 20;

/**
 * Reads a CSV/TSV file into a table chunk by chunk, so the file is never in memory whole (a 1 M-row file of
 * 300 MB then needs about its columns' memory, and files beyond Buffer's 2 GiB read limit load). The next chunk
 * is read while the current one is parsed. `refuse(head)` sees the first chunk (the caller's binary-content
 * check); `invalidUtf8()` is called when a chunk is not UTF-8 and must throw the caller's error.
 */
export async function readDelimitedFile(
  path: string,
  options: DelimitedTextOptions,
  checks: { refuse(head: Buffer): void; invalidUtf8(): Promise<never> },
  chunkBytes = CHUNK_BYTES,
): Promise<ColumnTable> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const reader = new DelimitedReader(options, size);
    const pass = async (first: boolean) => {
      const utf8 = new Utf8Stream();
      const readChunk = (position: number) => {
        const raw = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(size - position, 0)));
        const read = raw.length > 0 ? handle.read(raw, 0, raw.length, position).then(({ bytesRead }) => raw.subarray(0, bytesRead)) : Promise.resolve(raw);
        read.catch(() => undefined); // a read still under way when a parse error is thrown must not go unhandled
        return read;
      };
      let position = 0;
      let next = readChunk(0);
      let rest: Buffer = Buffer.alloc(0);
      for (;;) {
        const raw = await next;
        position += raw.length;
        const last = raw.length === 0 || position >= size;
        if (!last) next = readChunk(position); // overlaps the parse below
        if (first && position === raw.length) checks.refuse(raw);
        if (first && !utf8.push(raw, last)) await checks.invalidUtf8();
        const chunk = rest.length > 0 ? Buffer.concat([rest, raw]) : raw;
        const used = reader.read(chunk, last);
        if (last) return;
        rest = chunk.subarray(used);
      }
    };
    await pass(true);
    if (reader.needsSecondPass()) {
      reader.beginSecondPass();
      await pass(false);
    }
    return reader.table();
  } finally {
    await handle.close();
  }
}
