import assert from "node:assert/strict";
import { Database } from "../../src/store/sqlite.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { findTuning, hostId, openStore, saveTuning, SCHEMA_VERSION } from "../../src/store/index.js";
import { catalog } from "../../src/sweep/catalog.js";
import { expandPoints } from "../../src/sweep/points.js";
import { parseSpec } from "../../src/sweep/spec.js";

/** The pieces tune() adds below it: the tunings table (and its migration), and sweep specs with explicit points. */
const dir = mkdtempSync(join(tmpdir(), "simlab-tune-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a store of schema version 1 is migrated to the tunings table on open, and keeps a saved winner", () => {
  const path = join(dir, "old.db");
  openStore(path).close();
  const raw = new Database(path);
  raw.exec("DROP TABLE tunings");
  raw.pragma("user_version = 1");
  raw.close();
  const before = openStore(path, { readonly: true });
  const key = { workload: "gemm", shape: { M: 64 }, isa: "x86_64-linux-gnu", hostId: 1, compiler: "gcc" };
  assert.equal(findTuning(before, key), undefined, "a version-1 store has no tuning (read-only: not migrated)");
  before.close();
  const db = openStore(path);
  try {
    assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
    const mine = { ...key, hostId: hostId(db) };
    saveTuning(db, mine, { bestKnobs: { M: 64, order: "ikj" }, runtimeSeconds: 0.001, result: { ok: 1 } });
    const hit = findTuning(db, mine)!;
    assert.deepEqual(hit.bestKnobs, { M: 64, order: "ikj" });
    assert.deepEqual(hit.result, { ok: 1 });
    assert.equal(findTuning(db, { ...mine, compiler: "clang" }), undefined, "another compiler is another key");
  } finally {
    db.close();
  }
});

test("a sweep spec's explicit points are validated one by one and named by the groups of their space", () => {
  const spec = parseSpec({ name: "p", workloads: [{ kind: "gemm", space: { M: [64], N: [64], K: [64], order: ["ijk", "ikj"] }, points: [{ M: 64, N: 64, K: 64, order: "kij" }] }], tools: ["native"] });
  const points = expandPoints(spec, catalog);
  assert.equal(points.length, 1);
  assert.equal(points[0]!.group, "gemm M=64 N=64 K=64");
  assert.throws(
    () => parseSpec({ name: "p", workloads: [{ kind: "gemm", points: [{ M: 64, ordr: "kij" }] }], tools: ["native"] }),
    (e) => isSimlabError(e) && e.message === "spec: workloads[0].points[0].ordr: unknown knob for gemm",
  );
  assert.throws(
    () => parseSpec({ name: "p", workloads: [{ kind: "gemm", sample: { n: 2 }, points: [{ M: 64 }] }], tools: ["native"] }),
    (e) => isSimlabError(e) && /points: cannot be combined with sample/.test(e.message),
  );
});
