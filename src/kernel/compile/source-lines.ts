/**
 * Line-level source maps for compiled cells. A cell goes TypeScript → ES module JavaScript (tslab's emit) →
 * CommonJS (transpileModule, or the line-preserving shortcut) → loop instrumentation (which adds no lines); each
 * step's source map is reduced to "generated line → original line" and the steps are composed, so a stack frame's
 * line in the running code names the line of the cell the user wrote.
 */

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one segment's base64 VLQ fields. */
function decodeSegment(segment: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`bad source map character '${c}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

/** For each generated line (0-based), the original line of its first mapped segment, or -1 when it has none. */
export function lineTable(mappings: string): number[] {
  const table: number[] = [];
  let originalLine = 0; // cumulative across the whole mappings string, as the format says
  for (const line of mappings.split(";")) {
    let first = -1;
    for (const segment of line.split(",")) {
      if (segment === "") continue;
      const fields = decodeSegment(segment);
      if (fields.length >= 4) {
        originalLine += fields[2]!;
        if (first < 0) first = originalLine;
      }
    }
    table.push(first);
  }
  return table;
}

/** `outer` after `inner`: generated line → line of the first source (−1 where either step has no mapping). */
export function composeLines(inner: readonly number[], outer: readonly number[]): number[] {
  return outer.map((line) => (line < 0 ? -1 : (inner[line] ?? -1)));
}

/** Fills unmapped lines with the nearest mapped line above (tslab adds `exports.x = x;` lines after declarations). */
export function fillGaps(table: readonly number[]): number[] {
  let last = -1;
  return table.map((line) => (line < 0 ? last : (last = line)));
}

export function mappingsOf(sourceMapJson: string): string {
  const map = JSON.parse(sourceMapJson) as { mappings?: unknown };
  if (typeof map.mappings !== "string") throw new Error("source map has no mappings");
  return map.mappings;
}
