/**
 * One string per distinct short value of a text column. Category columns (group, workload, variant) repeat a
 * few values over many rows; decoding each field anew makes a string per row (time and garbage: 1 M rows of
 * `g7` are 1 M strings). Fields are looked up by a hash of their bytes and confirmed byte for byte against the
 * first occurrence, so a collision never returns a wrong string. A column with many distinct values (ids,
 * paths) stops interning after `MAX_DISTINCT`, so it pays no lookups.
 */
const MAX_LENGTH = 32;
const MAX_DISTINCT = 4096;

interface Entry {
  bytes: Uint8Array; // a copy: the chunk the value came from is reused for later bytes
  text: string;
}

export class TextInterner {
  private readonly entries = new Map<number, Entry>();
  private enabled = true;

  /** The UTF-8 text of bytes [from, to), shared with earlier fields holding the same bytes. */
  text(bytes: Buffer, from: number, to: number): string {
    if (!this.enabled || to - from > MAX_LENGTH) return bytes.toString("utf8", from, to);
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    hash ^= to - from;
    const entry = this.entries.get(hash);
    if (entry !== undefined && entry.bytes.length === to - from) {
      const known = entry.bytes;
      let i = 0;
      while (from + i < to && known[i] === bytes[from + i]) i++;
      if (from + i === to) return entry.text;
    }
    const text = bytes.toString("utf8", from, to);
    if (entry === undefined) {
      this.entries.set(hash, { bytes: new Uint8Array(bytes.subarray(from, to)), text });
      if (this.entries.size > MAX_DISTINCT) {
        this.enabled = false;
        this.entries.clear();
      }
    }
    return text;
  }
}
