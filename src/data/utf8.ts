import { isUtf8 } from "node:buffer";
import { SimlabError } from "../core/errors.js";

/**
 * Checks that a text file's bytes are UTF-8. Invalid UTF-8 (a Latin-1 or Windows-1252 file, a truncated
 * character) is a SimlabError naming the line, instead of U+FFFD characters that silently change values
 * (and make spurious groups).
 */
export function checkUtf8(bytes: Buffer, source: string): void {
  if (isUtf8(bytes)) return;
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  const hex = `0x${bytes[at]!.toString(16).toUpperCase().padStart(2, "0")}`;
  throw new SimlabError(
    `${source} line ${line}: byte ${hex} (offset ${at}) is not valid UTF-8`,
    `save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 ${source} > fixed.csv`,
  );
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const continuation = (i: number) => i < bytes.length && (bytes[i]! & 0xc0) === 0x80;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: sequence length and the allowed range of the second byte (no overlongs, surrogates, > U+10FFFF).
    let length = 0, low = 0x80, high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) [length, low, high] = [3, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf];
    else if (b >= 0xf0 && b <= 0xf4) [length, low, high] = [4, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf];
    else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) if (!continuation(i + k)) return i;
    i += length;
  }
  return bytes.length;
}

/**
 * `isUtf8` over a file read in chunks: the last bytes of a chunk that begin a character are kept and checked
 * together with the next chunk, so a character split between two reads is judged whole.
 */
export class Utf8Stream {
  private pending: Uint8Array = new Uint8Array(0);

  /** Whether every complete character so far is valid UTF-8 (all of them when `last`). */
  push(chunk: Uint8Array, last: boolean): boolean {
    const joined = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const cut = last ? joined.length : incompleteTail(joined);
    this.pending = new Uint8Array(joined.subarray(cut)); // a copy: the chunk may be reused
    return isUtf8(joined.subarray(0, cut));
  }
}

/** Where a character that the bytes end in the middle of begins (the length when they end on a boundary). */
function incompleteTail(bytes: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= bytes.length; k++) {
    const b = bytes[bytes.length - k]!;
    if (b < 0x80) return bytes.length;
    if (b >= 0xc0) return (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > k ? bytes.length - k : bytes.length;
  }
  return bytes.length; // only continuation bytes: isUtf8 judges them
}
