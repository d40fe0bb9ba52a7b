import assert from "node:assert/strict";
import { test } from "node:test";
import { Database } from "../../src/store/sqlite.js";
import { table, toArrowIPC } from "arquero";
import { parquetWriteBuffer } from "hyparquet-writer";
import { loadTable, fromRecords, toDanfo, fromDanfo } from "../../src/data/index.js";
import { magics } from "../../src/magics/data.js";
import { openStore, saveSweep, refreshWideView } from "../../src/store/index.js";
import { rejectsSimlab, scratch } from "./fixtures.js";

const tmp = scratch();

test("CSV: numbers, pandas missing/infinite tokens, quoted delimiters and newlines, blank lines", async () => {
  const path = tmp.file("a.csv", 'name,x,y\n"gemm, 4x4",1.5,nan\n\n"two\nlines",2,inf\nplain,-3,-inf\n');
  const t = await loadTable(path);
  assert.deepEqual(t.columnNames(), ["name", "x", "y"]);
  assert.equal(t.numRows(), 3);
  assert.deepEqual(t.array("name"), ["gemm, 4x4", "two\nlines", "plain"]);
  assert.deepEqual(Array.from(t.array("x")), [1.5, 2, -3]);
  assert.deepEqual(Array.from(t.array("y")), [NaN, Infinity, -Infinity]);
});

test("CSV: types are inferred from every row, not the first thousand", async () => {
  const rows = Array.from({ length: 1500 }, (_, i) => `${i},${i === 1200 ? "oops" : i * 2}`);
  const t = await loadTable(tmp.file("long.csv", `a,b\n${rows.join("\n")}\n`));
  assert.equal(t.get("a", 1499), 1499);
  assert.equal(t.get("b", 1200), "oops");
  assert.equal(t.get("b", 1300), "2600"); // the column stays text instead of turning "oops" into NaN
});

test("CSV: a row with the wrong number of fields names its line", async () => {
  const path = tmp.file("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
  await rejectsSimlab(() => loadTable(path), /ragged\.csv line 3: 2 fields, but the header has 3/, /hint:/);
  const quoted = tmp.file("quote.csv", 'a,b\n1,"never closed\n2,3\n');
  await rejectsSimlab(() => loadTable(quoted), /quote\.csv line 2: a quoted value is never closed/);
});

test("TSV and sniffing a file without a known extension", async () => {
  const tsv = await loadTable(tmp.file("t.tsv", "a\tb\n1\tx\n2\ty\n"));
  assert.deepEqual(tsv.objects(), [{ a: 1, b: "x" }, { a: 2, b: "y" }]);
  const sniffed = await loadTable(tmp.file("results.out", "k,v\n3,4\n"));
  assert.deepEqual(sniffed.objects(), [{ k: 3, v: 4 }]);
  const forced = await loadTable(tmp.file("results.txt", "k;v\n"), { format: "ndjson" }).catch((e: unknown) => e);
  assert.match(String((forced as Error).message), /line 1 is not valid JSON/);
});

test("JSON: records, column object and JSON lines; bad JSON names the line", async () => {
  const records = await loadTable(tmp.file("r.json", '[{"a": 1, "b": "x"}, {"a": 2}]'));
  assert.deepEqual(records.objects(), [{ a: 1, b: "x" }, { a: 2, b: null }]);
  const columns = await loadTable(tmp.file("c.json", '{"a": [1, 2, 3], "b": [4, 5, 6]}'));
  assert.deepEqual(Array.from(columns.array("b")), [4, 5, 6]);
  const lines = await loadTable(tmp.file("l.jsonl", '{"a": 1}\n{"a": 2, "c": true}\n'));
  assert.deepEqual(lines.objects(), [{ a: 1, c: null }, { a: 2, c: true }]);
  const linesInJson = await loadTable(tmp.file("l2.json", '{"a": 1}\n{"a": 2}\n'));
  assert.equal(linesInJson.numRows(), 2);
  await rejectsSimlab(() => loadTable(tmp.file("bad.json", '[\n{"a": 1},\n{"a": }\n]')), /bad\.json is not valid JSON/);
  await rejectsSimlab(() => loadTable(tmp.file("bad.jsonl", '{"a": 1}\n{"a": 2}\n{"a" 3}\n')), /bad\.jsonl line 3 is not valid JSON/);
  await rejectsSimlab(() => loadTable(tmp.file("scalar.json", "42")), /holds a JSON number, not a table/);
  await rejectsSimlab(() => loadTable(tmp.file("uneven.json", '{"a": [1], "b": [1, 2]}')), /different lengths \(1, 2\)/);
});

test("Parquet written by hyparquet-writer reads back, int64 as numbers", async () => {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "variant", data: ["a", "b", "c"], type: "STRING" },
      { name: "runtime", data: [0.5, 0.25, 1.5], type: "DOUBLE" },
      { name: "Ir", data: [10n, 20n, 30n], type: "INT64" },
    ],
  });
  const t = await loadTable(tmp.file("p.parquet", new Uint8Array(buffer)));
  assert.deepEqual(t.objects(), [
    { variant: "a", runtime: 0.5, Ir: 10 },
    { variant: "b", runtime: 0.25, Ir: 20 },
    { variant: "c", runtime: 1.5, Ir: 30 },
  ]);
  await rejectsSimlab(() => loadTable(tmp.file("broken.parquet", "PAR1 not really")), /broken\.parquet is not a readable Parquet file/);
});

test("Arrow IPC file and stream formats read back", async () => {
  const source = table({ x: [1, 2, 3], g: ["u", "v", "u"] });
  for (const [name, format] of [["t.arrow", "file"], ["t.arrows", "stream"]] as const) {
    const t = await loadTable(tmp.file(name, toArrowIPC(source, { format })));
    assert.deepEqual(t.objects(), source.objects(), name);
  }
  const sniffed = await loadTable(tmp.file("t.bin", toArrowIPC(source, { format: "file" })));
  assert.equal(sniffed.numRows(), 3);
  await rejectsSimlab(() => loadTable(tmp.file("junk.feather", "not arrow at all")), /junk\.feather is not a readable Arrow IPC file/);
});

test("a sweep store: the engine's wide view through wideTable, one sweep by name, clear errors", async () => {
  const path = `${tmp.dir}/store.db`;
  const db = openStore(path);
  const point = (tile: number, group: string) => ({ workload: "gemm", group, knobs: { tile, order: "ikj" }, keys: { native: `key-${group}-${tile}` } });
  saveSweep(db, "gemm256", {}, [point(8, "gemm-256"), point(16, "gemm-256")]);
  saveSweep(db, "gemm512", {}, [point(32, "gemm-512")]);
  refreshWideView(db);
  db.close();
  const all = await loadTable(path);
  assert.equal(all.numRows(), 3);
  for (const column of ["sweep", "workload", "group", "tile", "order", "status"]) assert.ok(all.columnNames().includes(column), column);
  const one = await loadTable(path, { sweep: "gemm256" });
  assert.deepEqual(Array.from(one.array("tile")), [8, 16]);
  assert.deepEqual(Array.from(one.array("group")), ["gemm-256", "gemm-256"]);
  await rejectsSimlab(() => loadTable(path, { sweep: "gemm265" }), /no sweep named 'gemm265'/, /gemm256, gemm512/);
  await rejectsSimlab(() => loadTable(tmp.file("fake.db", "hello, not sqlite")), /fake\.db is not a SQLite database/);
});

test("any SQLite table or view with --view", async () => {
  const plain = `${tmp.dir}/plain.sqlite`;
  const db = new Database(plain);
  db.exec("CREATE TABLE results (sweep TEXT, tile INTEGER, runtime REAL); INSERT INTO results VALUES ('a', 4, 0.5), ('b', 8, 0.25);");
  db.close();
  await rejectsSimlab(() => loadTable(plain), /is not a simlab store/);
  assert.deepEqual((await loadTable(plain, { view: "results", sweep: "b" })).objects(), [{ sweep: "b", tile: 8, runtime: 0.25 }]);
  await rejectsSimlab(() => loadTable(plain, { view: "result" }), /no table or view "result"/, /did you mean "results"/);
});

test("missing file, folder, unknown content and bad --format are clear SimlabErrors", async () => {
  await rejectsSimlab(() => loadTable("does/not/exist.csv"), /no such file: does\/not\/exist\.csv/, new RegExp(`relative to the current folder, ${process.cwd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  await rejectsSimlab(() => loadTable(tmp.dir), /is a folder/);
  await rejectsSimlab(() => loadTable(tmp.file("mystery.xyz", "just words")), /cannot tell the format of .*mystery\.xyz/, /csv \(\.csv\).*parquet \(\.parquet \.pq\)/);
  await rejectsSimlab(() => loadTable(tmp.file("bin.csv", new Uint8Array([80, 65, 82, 49, 0, 0, 1]))), /bin\.csv is binary .*offset 4/, /--format parquet/);
  await rejectsSimlab(() => loadTable(tmp.file("x.csv", "a\n1\n"), { format: "xlsx" }), /unknown format "xlsx"/);
  await rejectsSimlab(() => loadTable(tmp.file("empty.csv", "\n")), /empty\.csv is empty/);
});

test("fromRecords unions keys; danfo adapter explains how to install it", async () => {
  const t = fromRecords([{ a: 1 }, { b: 2n }]);
  assert.deepEqual(t.objects(), [{ a: 1, b: null }, { a: null, b: 2 }]);
  await rejectsSimlab(() => toDanfo(t), /danfojs-node is not installed/, /"xlsx": "0\.18\.5"/, /npm:@tensorflow\/tfjs@3\.21\.0/, /npm install danfojs-node/);
  const back = fromDanfo({ columns: ["a", "b"], values: [[1, "x"], [2, "y"]] });
  assert.deepEqual(back.objects(), [{ a: 1, b: "x" }, { a: 2, b: "y" }]);
});

test("%load binds a table and passes --sweep/--format through", async () => {
  const load = magics.find((m) => m.name === "load");
  assert.ok(load);
  assert.equal(load.binds, 'import("arquero").ColumnTable');
  const path = tmp.file("m.txt", "a\tb\n1\t2\n");
  const ctx = { signal: new AbortController().signal, display: { display() {}, update() {} }, stdout() {}, stderr() {}, runCode: async () => undefined };
  const t = (await load.run({ file: path, format: "tsv" }, ctx)) as ReturnType<typeof table>;
  assert.deepEqual(t.objects(), [{ a: 1, b: 2 }]);
});
