/** Issue 12: a CSV read chunk by chunk gives the same table as the whole bytes, whatever the chunk size. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromDelimitedBytes } from "../../src/data/from-csv.js";
import { readDelimitedFile } from "../../src/data/read-delimited-file.js";
import { SimlabError } from "../../src/core/errors.js";
import { rejectsSimlab, scratch } from "./fixtures.js";

const tmp = scratch();
const noChecks = { refuse() {}, invalidUtf8: async (): Promise<never> => { throw new SimlabError("bad UTF-8"); } };

const tricky = [
  "\ufeffname,x,late,flag\r\n",
  '"gemm, 4x4",1.5,1,true\r\n',
  '"two\nlines ""quoted""",2,2,false\n',
  "\n",
  "café,-3e-5,3,\n",
  "日本,3.1428571428571428,x,true\n",
  '🙂,nan,4,""\n',
  "plain,,5,false", // no newline at the end
].join("");

function snapshot(t: ReturnType<typeof fromDelimitedBytes>): unknown {
  return Object.fromEntries(t.columnNames().map((n) => [n, Array.from(t.array(n) as ArrayLike<unknown>)]));
}

test("every chunk size from 1 to 64 bytes reads the tricky file as the whole bytes do", async () => {
  const bytes = Buffer.from(tricky, "utf8");
  const path = tmp.file("tricky.csv", bytes);
  const whole = snapshot(fromDelimitedBytes(bytes));
  assert.deepEqual((whole as Record<string, unknown[]>).name, ["gemm, 4x4", 'two\nlines "quoted"', "café", "日本", "🙂", "plain"]);
  assert.deepEqual((whole as Record<string, unknown[]>).late, ["1", "2", "3", "x", "4", "5"]); // re-read as text
  for (let size = 1; size <= 64; size++) {
    assert.deepEqual(snapshot(await readDelimitedFile(path, {}, noChecks, size)), whole, `chunks of ${size} bytes`);
  }
});

test("errors name the same line whatever the chunk size; invalid UTF-8 split over chunks is caught", async () => {
  const ragged = tmp.file("ragged.csv", 'a,b\n1,"x\ny"\n3\n');
  const unclosed = tmp.file("unclosed.csv", 'a,b\n1,2\n3,"never\n');
  for (const size of [1, 2, 3, 5, 8, 1000]) {
    await rejectsSimlab(() => readDelimitedFile(ragged, { source: "r.csv" }, noChecks, size), /r\.csv line 4: 1 field, but the header has 2/);
    await rejectsSimlab(() => readDelimitedFile(unclosed, { source: "u.csv" }, noChecks, size), /u\.csv line 3: a quoted value is never closed/);
  }
  const cut = tmp.file("cut.csv", Buffer.concat([Buffer.from("a\n\u65e5"), Buffer.from([0xe6, 0x97]), Buffer.from("x\n")]));
  for (const size of [1, 2, 3, 4, 5, 6, 1000]) await rejectsSimlab(() => readDelimitedFile(cut, {}, noChecks, size), /bad UTF-8/);
});

test("10,000 rows in 4 KiB chunks: numbers, text and row count as from the whole bytes", async () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => `g${i % 7},${i / 7},"q,${i}"`);
  const bytes = Buffer.from(`g,x,q\n${lines.join("\n")}\n`);
  const t = await readDelimitedFile(tmp.file("many.csv", bytes), {}, noChecks, 4096);
  assert.equal(t.numRows(), 10_000);
  assert.deepEqual(snapshot(t), snapshot(fromDelimitedBytes(bytes)));
  assert.ok(Object.is(t.get("x", 9999), 9999 / 7));
});
