/** Issue 12: the CSV reader's byte-level decimals equal `Number(text)` bit for bit (property tests, seeded). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTable } from "../../src/data/index.js";
import { parseDecimal } from "../../src/data/parse-decimal.js";
import { scratch } from "./fixtures.js";

const tmp = scratch();

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Decimal texts of every kind the reader meets: printed doubles, digit strings, exponents, ties, edge cases. */
function decimals(count: number, seed: number): string[] {
  const pick = random(seed);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const digits = (n: number) => Array.from({ length: n }, () => pick(10)).join("");
  const out: string[] = [];
  while (out.length < count) {
    const sign = ["", "-", "+"][pick(3)]!;
    switch (pick(7)) {
      case 0: // what JavaScript prints: mostly 16–17 significant digits
        out.push(String((pick(1_000_000) / (pick(999) + 1)) * 10 ** (pick(9) - 4)));
        break;
      case 1: // any finite double's shortest text
        words[0] = pick(2 ** 32);
        words[1] = pick(0x7fefffff);
        out.push(String(bits[0]));
        break;
      case 2: { // up to 22 digits with the point anywhere, sometimes an exponent
        const text = digits(1 + pick(22));
        const at = pick(text.length + 1);
        out.push(sign + text.slice(0, at) + "." + text.slice(at) + (pick(3) === 0 ? `e${pick(70) - 35}` : ""));
        break;
      }
      case 3: // exact halfway integers between two doubles above 2^53 (round half to even)
        out.push(sign + String(2n ** BigInt(53 + pick(10)) + BigInt(2 * pick(1 << 20) + 1) * 2n ** BigInt(pick(10))));
        break;
      case 4: // 17–19 digits over a power of ten: the exact-quotient path
        out.push(sign + digits(1 + pick(3)) + "." + digits(16 + pick(3)));
        break;
      case 5:
        out.push(`${sign}${pick(1e9)}e${pick(60) - 30}`);
        break;
      default:
        out.push(["0", "-0", "-0.0", "+0", "0e5", "-0e-400", ".5", "5.", "-.25", "9007199254740993", "1e22", "1e23", "1E-7", "2.2250738585072014e-308", "5e-324", "1.7976931348623157e308", "1e400", "00012.5000", "0.1", "0.30000000000000004"][pick(20)]!);
    }
  }
  return out;
}

test("parseDecimal equals Number(text) bit for bit over 300,000 random decimals", () => {
  let mismatches = 0;
  const examples: string[] = [];
  for (const text of decimals(300_000, 12)) {
    const got = parseDecimal(Buffer.from(text, "latin1"), 0, text.length);
    if (!Object.is(got, Number(text))) {
      mismatches++;
      if (examples.length < 5) examples.push(`${text}: ${got} instead of ${Number(text)}`);
    }
  }
  assert.equal(mismatches, 0, examples.join("; "));
});

test("parseDecimal reads a field inside a larger buffer and refuses what is not a plain decimal", () => {
  const bytes = Buffer.from("x,3.1428571428571428,y");
  assert.equal(parseDecimal(bytes, 2, 20), 3.1428571428571428);
  for (const text of ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "1_000", " 1", "1 ", "nan", "inf", "--1", "1e5x"]) {
    assert.ok(Number.isNaN(parseDecimal(Buffer.from(text), 0, text.length)), JSON.stringify(text));
  }
});

test("loadTable: random decimals round-trip bit for bit; tokens and text keep today's types", async () => {
  const values = decimals(20_000, 99);
  const rows = values.map((v, i) => `g${i % 3},${v},${["nan", "NA", "", "inf", "-inf", "1.5"][i % 6]}`);
  const t = await loadTable(tmp.file("random.csv", `group,x,tokens\n${rows.join("\n")}\n`));
  assert.equal(t.numRows(), values.length);
  const x = t.column("x") as unknown as Float64Array; // the typed column itself (array() copies)
  assert.ok(x instanceof Float64Array);
  values.forEach((v, i) => assert.ok(Object.is(x[i], Number(v)), `row ${i}: ${v} read as ${x[i]}`));
  const tokens = t.column("tokens") as unknown as Float64Array;
  values.forEach((_, i) => assert.ok(Object.is(tokens[i], [NaN, NaN, NaN, Infinity, -Infinity, 1.5][i % 6]), `tokens row ${i}: ${tokens[i]}`));
  const group = t.array("group") as string[];
  assert.deepEqual(group.slice(0, 4), ["g0", "g1", "g2", "g0"]);
  assert.equal(group[values.length - 1], `g${(values.length - 1) % 3}`);
});
