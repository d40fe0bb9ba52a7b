import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Database } from "../../src/store/sqlite.js";
import { isSimlabError } from "../../src/core/errors.js";
import { claimRun, completeRun, failRun, hostId, openStore, releaseRunsOfDeadOwners, saveSweep, SCHEMA_VERSION, wideColumns, exportWide, refreshWideView } from "../../src/store/index.js";
import { KnobCanonicalizer, canonicalKnobs } from "../../src/store/sweeps.js";

const dir = mkdtempSync(join(tmpdir(), "simlab-store-test-"));

test("a new store is WAL, versioned and has the wide view", () => {
  const db = openStore(join(dir, "new.db"));
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
  assert.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'points_wide'").get());
  db.close();
});

test("a store from a newer simlab, a non-SQLite file and a foreign database are clear errors", () => {
  const newer = join(dir, "newer.db");
  const raw = new Database(newer);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => openStore(newer), (e: unknown) => isSimlabError(e) && /newer than this simlab/.test(e.message));
  const garbage = join(dir, "garbage.db");
  writeFileSync(garbage, "this is not a database, just text ".repeat(100));
  assert.throws(() => openStore(garbage), (e: unknown) => isSimlabError(e) && /not a SQLite database/.test(e.message));
  const foreign = join(dir, "foreign.db");
  const f = new Database(foreign);
  f.exec("CREATE TABLE t (x)");
  f.close();
  assert.throws(() => openStore(foreign), (e: unknown) => isSimlabError(e) && /not a simlab store/.test(e.message));
  assert.throws(() => openStore(join(dir, "missing.db"), { readonly: true }), (e: unknown) => isSimlabError(e) && /no store at/.test(e.message));
});

test("a key has at most one live or finished run; runs of dead owners are released", () => {
  const db = openStore(join(dir, "claims.db"));
  const sweepId = saveSweep(db, "s", {}, [{ workload: "gemm", group: "g", knobs: { M: 64, order: "ijk" }, keys: { cachegrind: "k1", native: "k2" } }]);
  const claim = { cacheKey: "k1", kind: "point" as const, sweepId, workload: "gemm", knobs: "{}", tool: "cachegrind", toolVersion: "v", hostId: hostId(db), owner: "1:dead" };
  const id = claimRun(db, claim)!;
  assert.ok(id > 0);
  assert.equal(claimRun(db, { ...claim, owner: "2:other" }), undefined, "a second claim of a running key is refused");
  assert.equal(releaseRunsOfDeadOwners(db, (owner) => owner !== "1:dead"), 1);
  const again = claimRun(db, claim)!;
  completeRun(db, again, { stats: { "kernel.Ir": 10, "kernel.D1mr": 2 }, checksum: "c", wallSeconds: 0.1, attempts: 1 });
  assert.equal(claimRun(db, claim), undefined, "a finished key is never run twice");
  const n = claimRun(db, { ...claim, cacheKey: "k2", tool: "native" })!;
  failRun(db, n, { reason: "timeout", message: "too slow", attempts: 1 });
  refreshWideView(db);
  const wide = wideColumns(db, "s");
  assert.equal(wide.rowCount, 1);
  assert.equal(wide.columns["cachegrind.kernel.Ir"]![0], 10);
  assert.equal(wide.columns["order"]![0], "ijk");
  assert.equal(wide.columns["status"]![0], "failed");
  assert.equal(wide.columns["failures"]![0], "native: timeout");
  const csv = exportWide(wide, "csv") as string;
  assert.match(csv.split("\n")[0]!, /^sweep,point,workload,group,M,order,cachegrind\.kernel\.D1mr,cachegrind\.kernel\.Ir,status,failures$/);
  assert.throws(() => wideColumns(db, "nope"), (e: unknown) => isSimlabError(e) && /no sweep named 'nope'/.test(e.message) && /s/.test(e.hint ?? ""));
  db.close();
});

test("a read-only reader sees statistics that appeared after the view was last regenerated (a sweep still running)", () => {
  const path = join(dir, "live.db");
  const writer = openStore(path);
  const sweepId = saveSweep(writer, "live", {}, [{ workload: "gemm", group: "g", knobs: { M: 64 }, keys: { cachegrind: "c1" } }]);
  refreshWideView(writer); // as a sweep does when it starts: no statistics yet
  const id = claimRun(writer, { cacheKey: "c1", kind: "point", sweepId, workload: "gemm", knobs: "{}", tool: "cachegrind", toolVersion: "v", hostId: hostId(writer), owner: `${process.pid}:live` })!;
  completeRun(writer, id, { stats: { "kernel.Ir": 42 }, checksum: "c", wallSeconds: 0.1, attempts: 1 });
  const reader = openStore(path, { readonly: true });
  const wide = wideColumns(reader, "live");
  assert.equal(wide.columns["cachegrind.kernel.Ir"]?.[0], 42);
  assert.equal(wide.columns["status"]?.[0], "ok");
  reader.close();
  writer.close();
});

test("saving a sweep again keeps the ids of its remaining points, drops the others and rewrites ord, knobs and keys", () => {
  const db = openStore(join(dir, "resave.db"));
  const point = (m: number, key: string, group = "g") => ({ workload: "gemm", group, knobs: { M: m, order: "ijk" }, keys: { cachegrind: key } });
  const sweepId = saveSweep(db, "s", {}, [point(1, "a"), point(2, "b"), point(3, "c")]);
  const ids = () => Object.fromEntries((db.prepare("SELECT knobs, id FROM points WHERE sweep_id = ?").raw().all(sweepId) as [string, number][]));
  const before = ids();
  assert.equal(saveSweep(db, "s", { v: 2 }, [point(3, "c2", "h"), point(1, "a"), point(4, "d")]), sweepId);
  const after = ids();
  assert.equal(after['{"M":1,"order":"ijk"}'], before['{"M":1,"order":"ijk"}']);
  assert.equal(after['{"M":3,"order":"ijk"}'], before['{"M":3,"order":"ijk"}']);
  assert.equal(after['{"M":2,"order":"ijk"}'], undefined);
  const rows = db.prepare("SELECT p.grp, p.ord, pk.cache_key, (SELECT group_concat(name || '=' || value || '@' || pos) FROM knobs WHERE point_id = p.id) AS knobs FROM points p JOIN point_keys pk ON pk.point_id = p.id WHERE p.sweep_id = ? ORDER BY p.ord").all(sweepId);
  assert.deepEqual(rows, [
    { grp: "h", ord: 0, cache_key: "c2", knobs: "M=3@0,order=ijk@1" },
    { grp: "g", ord: 1, cache_key: "a", knobs: "M=1@0,order=ijk@1" },
    { grp: "g", ord: 2, cache_key: "d", knobs: "M=4@0,order=ijk@1" },
  ]);
  assert.equal(db.prepare("SELECT count(*) FROM knobs").pluck().get(), 6, "the dropped point's knobs went with it");
  db.close();
});

test("KnobCanonicalizer gives canonicalKnobs' text, integer-like names and a change of names included", () => {
  const c = new KnobCanonicalizer();
  const settings: Record<string, number | string>[] = [{ b: 1, a: "x" }, { b: 2, a: "y\"" }, { "10": 1, "2": 2, z: 3 }, {}, { a: 1 }, { b: 1, a: "x" }, { a: NaN, b: -0 }];
  for (const knobs of settings) {
    assert.equal(c.text(knobs), canonicalKnobs(knobs));
  }
});
