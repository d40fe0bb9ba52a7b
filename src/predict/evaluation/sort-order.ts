/**
 * Row positions sorted by a numeric key without a comparator: a stable LSD radix sort on the key's IEEE-754
 * bits (four passes of 16 bits), O(n) — a comparator sort of a million indices takes seconds. Equal keys
 * keep the order of `order` (default 0 … n−1), so sorting by a second key and then by a first gives the
 * lexicographic order. −0 sorts as 0; NaN sorts after +∞.
 */
export function sortedBy(keys: ArrayLike<number>, order?: Uint32Array): Uint32Array {
  const n = keys.length;
  let from = new Uint32Array(n);
  if (order) from.set(order);
  else for (let i = 0; i < n; i++) from[i] = i;
  if (n < 2) return from;
  const { lo, hi } = sortableBits(keys);
  let to = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (const [words, shift] of [[lo, 0], [lo, 16], [hi, 0], [hi, 16]] as const) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[i]! >>> shift) & 0xffff]!++;
    if (count[(words[0]! >>> shift) & 0xffff] === n) continue; // every key has this digit: nothing to reorder
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const row = from[i]!;
      to[count[(words[row]! >>> shift) & 0xffff]!++] = row;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Each key's 64 bits as two unsigned words whose unsigned order (hi, then lo) is the numeric order. */
function sortableBits(keys: ArrayLike<number>): { lo: Uint32Array; hi: Uint32Array } {
  const n = keys.length;
  const doubles = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = keys[i]!;
    doubles[i] = v === 0 ? 0 : v !== v ? NaN : v; // −0 → 0; one NaN pattern
  }
  const words = new Uint32Array(doubles.buffer); // little-endian: [lo, hi] per double
  const lo = new Uint32Array(n), hi = new Uint32Array(n);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const [l, h] = littleEndian ? [0, 1] : [1, 0];
  for (let i = 0; i < n; i++) {
    const w0 = words[2 * i + l]!, w1 = words[2 * i + h]!;
    if (w1 >>> 31) {
      hi[i] = ~w1 >>> 0; // negative: flip every bit (larger magnitude sorts first)
      lo[i] = ~w0 >>> 0;
    } else {
      hi[i] = (w1 | 0x80000000) >>> 0; // positive: above every negative
      lo[i] = w0;
    }
  }
  return { lo, hi };
}
