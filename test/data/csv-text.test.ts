/** Issue 12: text columns read with one string per distinct short value stay exactly the file's text. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTable } from "../../src/data/index.js";
import { scratch } from "./fixtures.js";

const tmp = scratch();

test("text columns: repeated, distinct (past the interning limit), long, quoted and non-ASCII values are kept", async () => {
  const rows = 12_000;
  const expected = {
    group: Array.from({ length: rows }, (_, i) => ["gemm", "conv2d", "mvm", "café", "日本"][i % 5]!),
    id: Array.from({ length: rows }, (_, i) => `run-${(i * 7919) % rows}`), // all distinct
    path: Array.from({ length: rows }, (_, i) => `/very/long/path/to/some/workload/variant/${i % 4}.c`), // > 32 bytes
    quoted: Array.from({ length: rows }, (_, i) => (i % 2 ? 'say "hi", twice' : "plain")),
    late: Array.from({ length: rows }, (_, i) => (i === rows - 1 ? "text at last" : String(i % 10))),
  };
  const lines = Array.from({ length: rows }, (_, i) =>
    [expected.group[i], expected.id[i], expected.path[i], i % 2 ? '"say ""hi"", twice"' : "plain", expected.late[i]].join(","),
  );
  const t = await loadTable(tmp.file("text.csv", `group,id,path,quoted,late\n${lines.join("\n")}\n`));
  for (const [name, values] of Object.entries(expected)) assert.deepEqual(t.array(name), values, name);
});
