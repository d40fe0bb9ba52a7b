/** Issue 14 item 11: CSV values must not change silently (missing-value tokens, invalid UTF-8). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTable } from "../../src/data/index.js";
import { rejectsSimlab, scratch } from "./fixtures.js";

const tmp = scratch();

test("CSV: nan, NaN, inf, -inf, NA and empty cells keep a column numeric (NaN / ±Infinity)", async () => {
  const path = tmp.file("tokens.csv", "x,label\n1,a\nnan,b\nNaN,c\ninf,d\n-inf,e\nNA,f\n,g\n2.5,h\n");
  const t = await loadTable(path);
  const x = Array.from(t.array("x") as ArrayLike<number | null>, (v) => (v === null ? NaN : v));
  assert.deepEqual(x, [1, NaN, NaN, Infinity, -Infinity, NaN, NaN, 2.5]);
  for (const v of Array.from(t.array("x") as ArrayLike<unknown>)) assert.ok(typeof v === "number", `a ${typeof v} in a numeric column`);
  assert.deepEqual(t.array("label"), ["a", "b", "c", "d", "e", "f", "g", "h"]);
  for (const token of ["nan", "inf", "NA", "-inf"]) {
    const one = await loadTable(tmp.file(`one-${token}.csv`, `x\n1\n${token}\n3\n`));
    assert.equal(typeof one.get("x", 1), "number", token);
    assert.equal(one.get("x", 2), 3, token);
  }
});

test("CSV: a token after row 1,000 (past arquero's type sample) is read as a number too", async () => {
  const rows = Array.from({ length: 1500 }, (_, i) => String(i));
  const t = await loadTable(tmp.file("late.csv", `x\n${rows.join("\n")}\ninf\nnan\n-inf\n`));
  assert.equal(t.get("x", 1499), 1499);
  assert.equal(t.get("x", 1500), Infinity);
  assert.ok(Number.isNaN(t.get("x", 1501)));
  assert.equal(t.get("x", 1502), -Infinity);
});

test("CSV: a column with real text stays text (tokens included, unchanged)", async () => {
  const t = await loadTable(tmp.file("text.csv", "name\ngemm\nNA\n1\n"));
  assert.deepEqual(t.array("name"), ["gemm", "NA", "1"]);
});

test("invalid UTF-8 is an error naming the line; valid multi-byte text loads", async () => {
  const latin1 = Buffer.concat([Buffer.from("name,x\nplain,1\ncaf"), Buffer.from([0xe9]), Buffer.from(",2\n")]);
  await rejectsSimlab(() => loadTable(tmp.file("latin1.csv", latin1)), /latin1\.csv line 3: byte 0xE9 \(offset 18\) is not valid UTF-8/, /iconv/);
  const truncated = Buffer.concat([Buffer.from('[{"a": "x'), Buffer.from([0xe2, 0x82]), Buffer.from('"}]')]);
  await rejectsSimlab(() => loadTable(tmp.file("cut.json", truncated)), /cut\.json line 1: byte 0xE2/);
  const surrogate = Buffer.concat([Buffer.from("a\n1\n2\n"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("\n")]);
  await rejectsSimlab(() => loadTable(tmp.file("surrogate.tsv", surrogate)), /surrogate\.tsv line 4/);
  const good = await loadTable(tmp.file("utf8.csv", "name,x\ncafé,1\n日本,2\n🙂,3\n"));
  assert.deepEqual(good.array("name"), ["café", "日本", "🙂"]);
});
