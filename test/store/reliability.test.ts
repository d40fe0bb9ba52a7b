/**
 * Issue 14: a store must stay readable and every failure of the file itself (full, damaged, read-only) must be
 * one SimlabError line naming it — real SQLite files, the real `simlab` CLI.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, statfsSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Database } from "../../src/store/sqlite.js";
import { loadTable } from "../../src/data/load-table.js";
import { isSimlabError } from "../../src/core/errors.js";
import { claimRun, completeRun, failRun, hostId, openStore, refreshWideView, saveSweep, wideColumns, type Store } from "../../src/store/index.js";
import { runCommand, simlabMain } from "../notebook/cli-helpers.js";
import { storeError } from "../../src/store/sqlite-errors.js";
import { isRoot, makeReadOnly } from "./read-only.js";

const dir = mkdtempSync(join(tmpdir(), "simlab-store-rel-"));

/** A sweep with one point per entry of `runs`, each run finished with those statistics. */
function addSweep(db: Store, name: string, runs: Record<string, number>[], tool = "cachegrind"): void {
  const points = runs.map((_, i) => ({ workload: "gemm", group: "g", knobs: { M: 64 * (i + 1) }, keys: { [tool]: `${name}-${i}` } }));
  const sweepId = saveSweep(db, name, {}, points);
  runs.forEach((stats, i) => {
    const id = claimRun(db, { cacheKey: `${name}-${i}`, kind: "point", sweepId, workload: "gemm", knobs: "{}", tool, toolVersion: "v", hostId: hostId(db), owner: "1:test" })!;
    completeRun(db, id, { stats, checksum: "c", wallSeconds: 0.1, attempts: 1 });
  });
}

function manyStats(n: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`fn${String(i).padStart(4, "0")}.Ir`, i]));
}

/** A CLI failure: exit 1, one message line (+ hint), no stack trace. */
function assertOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, `a stack trace:\n${result.stderr}`);
  assert.ok(result.stderr.trim().split("\n").length <= 2, result.stderr);
}

test("a run with 2,500 statistics leaves every sweep readable, its own included (pivoted in JS)", async () => {
  const path = join(dir, "wide.db");
  const db = openStore(path);
  addSweep(db, "small", [{ "kernel.Ir": 10 }, { "kernel.Ir": 20 }]);
  addSweep(db, "huge", [manyStats(2500)]);
  refreshWideView(db);
  const small = wideColumns(db, "small");
  assert.deepEqual(small.names, ["sweep", "point", "workload", "group", "M", "cachegrind.kernel.Ir", "status", "failures"], "one sweep has only its own columns");
  assert.deepEqual(small.columns["cachegrind.kernel.Ir"], [10, 20]);
  const huge = wideColumns(db, "huge");
  assert.equal(huge.names.length, 4 + 1 + 2500 + 2);
  assert.equal(huge.columns["cachegrind.fn2499.Ir"]![0], 2499);
  const all = wideColumns(db);
  assert.equal(all.rowCount, 3);
  assert.deepEqual(all.columns["status"], ["ok", "ok", "ok"]);
  // The SQL view for other SQLite clients stays readable: without the statistics, which stay in point_statistics.
  const view = db.prepare("SELECT * FROM points_wide").all() as Record<string, unknown>[];
  assert.equal(view.length, 3);
  assert.ok(!("cachegrind.kernel.Ir" in view[0]!) && "status" in view[0]!);
  assert.equal((db.prepare("SELECT count(*) AS n FROM point_statistics WHERE sweep = 'huge'").get() as { n: number }).n, 2500);
  db.close();

  assert.equal((await loadTable(path, { sweep: "small" })).numRows(), 2, "fit --data store reads through loadTable");
  assert.equal((await loadTable(path)).numCols(), 4 + 1 + 2501 + 2);
  const csv = await runCommand([process.execPath, simlabMain, "results", "--db", path, "--sweep", "huge"]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.equal(csv.stdout.split("\n")[0]!.split(",").length, 2507);
});

test("the SQL view points_wide and the JS pivot agree on an ordinary store (failures and missing runs included)", () => {
  const db = openStore(join(dir, "agree.db"));
  addSweep(db, "a", [{ "kernel.Ir": 1, "kernel.D1mr": 2 }, { "kernel.Ir": 3 }]);
  addSweep(db, "b", [{ runtime_min_s: 0.5 }], "native");
  const sweepId = saveSweep(db, "c", {}, [
    { workload: "mvm", group: "h", knobs: { N: 8, order: "ij" }, keys: { cachegrind: "c-0", native: "c-n0" } },
    { workload: "mvm", group: "h", knobs: { N: 16, order: "ji" }, keys: { cachegrind: "c-1" } },
  ]);
  const id = claimRun(db, { cacheKey: "c-0", kind: "point", sweepId, workload: "mvm", knobs: "{}", tool: "cachegrind", toolVersion: "v", hostId: hostId(db), owner: "1:t" })!;
  failRun(db, id, { reason: "timeout", message: "slow", attempts: 1 });
  refreshWideView(db);
  const rows = db.prepare("SELECT * FROM points_wide").raw().all() as unknown[][];
  const names = db.prepare("SELECT * FROM points_wide").columns().map((c) => c.name);
  const wide = wideColumns(db);
  assert.deepEqual(wide.names, names);
  assert.deepEqual(Array.from({ length: wide.rowCount }, (_, i) => wide.names.map((n) => wide.columns[n]![i])), rows);
  assert.deepEqual(wide.columns["status"], ["ok", "ok", "ok", "failed", "missing"]);
  assert.deepEqual(wide.columns["failures"]!.slice(3), ["cachegrind: timeout; native: missing", "cachegrind: missing"]);
  db.close();
});

test("a full store (SQLite's max_page_count) is a SimlabError naming the file, not a foreign-key failure", () => {
  const path = join(dir, "full.db");
  const db = openStore(path);
  const sweepId = saveSweep(db, "s", {}, [{ workload: "gemm", group: "g", knobs: { M: 1 }, keys: { cachegrind: "k" } }]);
  const claim = { cacheKey: "k", kind: "point" as const, sweepId, workload: "gemm", knobs: "{}", tool: "cachegrind", toolVersion: "v", hostId: hostId(db), owner: "1:t" };
  const id = claimRun(db, claim)!;
  db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);
  const full = (e: unknown) => isSimlabError(e) && e.message.includes(path) && /is full/.test(e.message) && /free disk space/.test(e.hint ?? "");
  assert.throws(() => completeRun(db, id, { stats: manyStats(3000), wallSeconds: 1, attempts: 1 }), full);
  assert.throws(() => claimRun(db, { ...claim, cacheKey: "other".repeat(2000) }), full);
  db.pragma("max_page_count = 1000000");
  failRun(db, id, { reason: "crash", message: "x", attempts: 1 }); // the run's row is still there to fail
  assert.equal((db.prepare("SELECT status FROM runs WHERE id = ?").pluck().get(id) as string), "failed");
  db.close();
});

test("a full disk (a small tmpfs): claimRun never returns the id of a row it did not write", { skip: isRoot ? false : "needs root to mount a tmpfs" }, (t) => {
  const mnt = mkdtempSync(join(tmpdir(), "simlab-full-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt]);
  t.after(() => execFileSync("umount", [mnt]));
  const path = join(mnt, "s.db");
  const db = openStore(path);
  const sweepId = saveSweep(db, "s", {}, []);
  let error: unknown;
  let claimed = 0;
  try {
    for (let i = 0; i < 10_000; i++) {
      const id = claimRun(db, { cacheKey: `key-${i}-${"x".repeat(4000)}`, kind: "point", sweepId, workload: "gemm", knobs: "{}", tool: "t", toolVersion: "v", hostId: hostId(db), owner: "1:t" })!;
      assert.equal(db.prepare("SELECT count(*) FROM runs WHERE id = ?").pluck().get(id), 1, `run ${id} was returned but not written`);
      claimed++;
    }
  } catch (e) {
    error = e;
  }
  db.close();
  assert.ok(claimed > 0);
  assert.ok(isSimlabError(error) && /is full/.test(error.message) && error.message.includes(path), String(error));
});

test("`simlab sweep` into a store on a full disk (a tmpfs) stops with one line saying the store is full", { skip: isRoot ? false : "needs root to mount a tmpfs" }, async (t) => {
  const mnt = mkdtempSync(join(tmpdir(), "simlab-fullsweep-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=400k", "tmpfs", mnt]);
  t.after(() => execFileSync("umount", [mnt]));
  const path = join(mnt, "s.db");
  const sweep = (space: string) => runCommand([process.execPath, simlabMain, "sweep", "--workload", "gemm", "--space", space, "--tools", "native", "--db", path]);
  const first = await sweep("M=16 N=16 K=16");
  assert.equal(first.code, 0, first.stderr);
  spawnSync("dd", ["if=/dev/zero", `of=${join(mnt, "filler")}`, "bs=1k", "count=400"], { stdio: "ignore" }); // stops when the disk is full
  assert.equal(statfsSync(mnt).bavail, 0, "the tmpfs is full");
  const second = await sweep("M=16,32,48 N=16,24 K=16");
  assertOneLineError(second, /store .*s\.db is full/);
  assert.doesNotMatch(second.stderr, /FOREIGN KEY/);
});

test("`simlab results -o` onto a full disk is one line", { skip: isRoot ? false : "needs root to mount a tmpfs" }, async (t) => {
  const store = join(dir, "export.db");
  const db = openStore(store);
  addSweep(db, "s", [manyStats(3000)]);
  db.close();
  const mnt = mkdtempSync(join(tmpdir(), "simlab-fullout-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt]);
  t.after(() => execFileSync("umount", [mnt]));
  assertOneLineError(await runCommand([process.execPath, simlabMain, "results", "--db", store, "-o", join(mnt, "r.csv")]), /cannot write .*r\.csv: ENOSPC/);
});

test("three processes opening the same new store at once all succeed (no SQLITE_BUSY from the switch to WAL)", async () => {
  // Before openStore retried, about 1 in 120 such openings failed at once with SQLITE_BUSY.
  const open = new URL("../../src/store/open.js", import.meta.url).href;
  const script = `import { openStore } from ${JSON.stringify(open)}; openStore(process.argv[1]).close();`;
  const failures: string[] = [];
  for (let i = 0; i < 30; i++) {
    const db = join(dir, `opened-at-once-${i}.db`);
    const exits = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, ["--input-type=module", "-e", script, db], { stdio: ["ignore", "ignore", "pipe"] });
            let stderr = "";
            child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
            child.on("exit", (code) => resolve(code === 0 ? "" : stderr.trim() || `exit ${code}`));
          }),
      ),
    );
    failures.push(...exits.filter(Boolean));
    const store = openStore(db, { readonly: true });
    assert.equal(store.pragma("journal_mode", { simple: true }), "wal");
    store.close();
  }
  assert.deepEqual(failures, []);
});

test("a store locked by another connection (SQLITE_BUSY) is a SimlabError naming the file", () => {
  const path = join(dir, "busy.db");
  openStore(path).close();
  const holder = new Database(path);
  holder.exec("BEGIN EXCLUSIVE");
  const waiter = new Database(path, { timeout: 0 });
  let raw: unknown;
  try {
    waiter.exec("INSERT INTO hosts (cpu_model, cores, kernel) VALUES ('x', 1, 'k')");
  } catch (e) {
    raw = e;
  }
  assert.match(String((raw as { code?: string }).code), /^SQLITE_BUSY/);
  const translated = storeError(raw, path);
  assert.ok(isSimlabError(translated) && translated.message.includes(path) && /locked by another process/.test(translated.message));
  holder.exec("ROLLBACK");
  holder.close();
  waiter.close();
  assert.equal(storeError(new Error("plain bug"), path) instanceof Error && !isSimlabError(storeError(new Error("plain bug"), path)), true, "other errors keep their stack");
});

test("a store damaged past its header: SimlabError in the API, one line from `simlab results` and `simlab fit`", async () => {
  const path = join(dir, "damaged.db");
  const db = openStore(path);
  addSweep(db, "s", Array.from({ length: 50 }, (_, i) => manyStats(40 + i)));
  db.close();
  const size = statSync(path).size;
  assert.ok(size > 16 * 4096, `store too small to damage (${size})`);
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.alloc(size - 8 * 4096, 0xa5), 0, size - 8 * 4096, 4 * 4096); // pages 5 … n-8; the header is intact
  closeSync(fd);
  const reader = openStore(path, { readonly: true });
  assert.throws(() => wideColumns(reader), (e: unknown) => isSimlabError(e) && e.message.includes(path) && /damaged/.test(e.message) && /\.recover/.test(e.hint ?? ""));
  reader.close();
  assertOneLineError(await runCommand([process.execPath, simlabMain, "results", "--db", path]), /damaged\.db is damaged/);
  assertOneLineError(await runCommand([process.execPath, simlabMain, "fit", "--data", path, "--target", "runtime_min_s", "-o", join(dir, "p.csv")]), /damaged\.db is damaged/);
});

test("`simlab results` on a store in a read-only folder: one line that says what to do", async (t) => {
  const folder = join(dir, "ro-folder");
  mkdirSync(folder);
  const db = openStore(join(folder, "s.db"));
  addSweep(db, "s", [{ "kernel.Ir": 1 }]);
  db.close();
  const undo = makeReadOnly(folder);
  t.after(undo);
  const result = await runCommand([process.execPath, simlabMain, "results", "--db", join(folder, "s.db")]);
  assertOneLineError(result, /cannot open store .*s\.db/);
  assert.match(result.stderr, /hint: its folder .* is read-only.*copy the store/);
});

test("`simlab sweep` into a read-only store fails at once with one line", async (t) => {
  const path = join(dir, "ro.db");
  const db = openStore(path);
  addSweep(db, "s", [{ "kernel.Ir": 1 }]);
  db.close();
  const before = readFileSync(path);
  const undo = makeReadOnly(path);
  t.after(undo);
  const result = await runCommand([process.execPath, simlabMain, "sweep", "--workload", "gemm", "--space", "M=16 N=16 K=16", "--tools", "native", "--db", path]);
  assertOneLineError(result, /store .*ro\.db is read-only/);
  assert.deepEqual(readFileSync(path), before);
  assert.throws(() => openStore(path), (e: unknown) => isSimlabError(e) && /read-only/.test(e.message));
  const reader = openStore(path, { readonly: true });
  assert.equal(wideColumns(reader).rowCount, 1, "reading a read-only file still works");
  reader.close();
});

test("-o into a missing folder is refused before any work starts", async () => {
  const data = join(dir, "nothing-here.csv"); // would fail to load, so an output error proves the order
  const fit = await runCommand([process.execPath, simlabMain, "fit", "--data", data, "--target", "y", "-o", join(dir, "no", "such", "pred.csv")]);
  assertOneLineError(fit, /--out .*pred\.csv: the folder .*no\/such does not exist/);
  const store = join(dir, "out.db");
  const db = openStore(store);
  addSweep(db, "s", [{ "kernel.Ir": 1 }]);
  db.close();
  assertOneLineError(await runCommand([process.execPath, simlabMain, "results", "--db", store, "-o", join(dir, "missing", "r.csv")]), /-o .*r\.csv: the folder .*missing does not exist/);
  assertOneLineError(await runCommand([process.execPath, simlabMain, "results", "--db", store, "-o", dir]), /is a folder/);
});

test("a plain Database with a full disk still reports SQLITE_FULL (the failure the store translates)", () => {
  const raw = new Database(":memory:");
  raw.exec("CREATE TABLE t (v)");
  raw.pragma(`max_page_count = ${raw.pragma("page_count", { simple: true }) as number}`);
  assert.throws(() => raw.prepare("INSERT INTO t VALUES (?)").run("x".repeat(100_000)), (e: unknown) => (e as { code?: string }).code === "SQLITE_FULL");
  raw.close();
});
