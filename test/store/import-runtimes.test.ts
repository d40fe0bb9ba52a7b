import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isSimlabError } from "../../src/core/errors.js";
import { openStore, wideColumns, type WideColumns } from "../../src/store/index.js";
import { importRuntimes, runSweep } from "../../src/sweep/index.js";

// Runtimes measured elsewhere joined onto a real sweep (tiny GEMMs under real cachegrind, a real SQLite store).
const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "simlab-import-test-"));
const db = join(dir, "sweeps.db");
const spec = { name: "sim-only", workloads: [{ kind: "gemm", space: { M: [32], N: [32], K: [32], order: ["ijk", "ikj"], unroll: [1, 4] } }], tools: ["cachegrind"], options: { driftEvery: 0 } };
let ids: number[] = [];

before(async () => {
  const summary = await runSweep(spec, { db, jobs: 2 });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  ids = (wide().columns.point as number[]).slice();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function wide(): WideColumns {
  const store = openStore(db, { readonly: true });
  try {
    return wideColumns(store, "sim-only");
  } finally {
    store.close();
  }
}

function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

const runCount = () => {
  const store = openStore(db, { readonly: true });
  try {
    return store.prepare("SELECT count(*) FROM runs").pluck().get() as number;
  } finally {
    store.close();
  }
};

/** The SimlabError `f` throws: one line, naming what is asked. */
function oneLine(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(isSimlabError(e), String(e));
    assert.equal(e.message.includes("\n"), false, e.message);
    return e.message;
  }
  assert.fail("accepted");
}

test("by point id, for a named target: runtime_min_s@LABEL columns beside the simulator's; a re-run sweep keeps them", async () => {
  const file = csv("by-id.csv", ["point,runtime_min_s,runtime_median_s,notes", ...ids.map((id, i) => `${id},${(i + 1) / 1000},${(i + 1.5) / 1000},"board, run ${i}"`)]);
  const summary = importRuntimes(db, { sweep: "sim-only", csv: file, target: "rpi4" });
  assert.deepEqual({ ...summary, statistics: summary.statistics.join() }, { sweep: "sim-only", tool: "native@rpi4", by: "point", points: 4, statistics: "runtime_min_s,runtime_median_s", replaced: 0, written: true });
  let w = wide();
  const at = (id: number) => (w.columns.point as number[]).indexOf(id);
  ids.forEach((id, i) => {
    assert.equal(w.columns["runtime_min_s@rpi4"]![at(id)], (i + 1) / 1000);
    assert.equal(w.columns["runtime_median_s@rpi4"]![at(id)], (i + 1.5) / 1000);
    assert.ok((w.columns["cachegrind.kernel.Ir"]![at(id)] as number) > 0);
    assert.equal(w.columns.status![at(id)], "ok");
  });
  assert.ok(w.names.indexOf("runtime_min_s@rpi4") < w.names.indexOf("cachegrind.kernel.Ir"), "runtimes come first, like the host's");

  const rerun = await runSweep(spec, { db, jobs: 2 });
  assert.equal(rerun.cached, 4);
  w = wide();
  assert.equal(w.columns["runtime_min_s@rpi4"]![at(ids[0]!)], 1 / 1000, "the import survives re-running the sweep");

  // Importing again for the same target replaces, never duplicates.
  const again = importRuntimes(db, { sweep: "sim-only", csv: csv("again.csv", ["point,runtime_min_s", `${ids[0]},0.5`]), target: "rpi4" });
  assert.equal(again.replaced, 1);
  assert.equal(wide().columns["runtime_min_s@rpi4"]![at(ids[0]!)], 0.5);
});

test("by knobs, without a target: plain runtime_min_s like host runs; --dry-run reports and writes nothing", () => {
  const file = csv("by-knobs.csv", ["order,unroll,runtime_min_s", "ijk,1,0.004", "ikj,1,0.002", "ijk,4,0.003", "ikj,4.0,0.001"]);
  const before = runCount();
  const dry = importRuntimes(db, { sweep: "sim-only", csv: file, dryRun: true });
  assert.deepEqual([dry.tool, dry.by, dry.points, dry.written], ["native", "knobs", 4, false]);
  assert.equal(runCount(), before);
  assert.equal(wide().columns.runtime_min_s, undefined);

  importRuntimes(db, { sweep: "sim-only", csv: file });
  const w = wide();
  const row = (order: string, unroll: number) => w.columns.order!.findIndex((o, i) => o === order && w.columns.unroll![i] === unroll);
  assert.equal(w.columns.runtime_min_s![row("ijk", 1)], 0.004);
  assert.equal(w.columns.runtime_min_s![row("ikj", 4)], 0.001);
  assert.equal(runCount(), before + 4);
});

test("a row matching no point, two points, a duplicate, a non-numeric runtime: one line naming the CSV line, nothing written", () => {
  const before = runCount();
  const last = ids[ids.length - 1]!;
  const cases: [string[], RegExp][] = [
    [["point,runtime_min_s", `${ids[0]},0.1`, "99999,0.2"], /^nomatch\.csv:3: matches no point of sweep 'sim-only' \(point=99999\)$/],
    [["order,runtime_min_s", "ijk,0.1"], /^ambiguous\.csv:2: matches 2 points of sweep 'sim-only' \(order=ijk\)$/],
    [["point,runtime_min_s", `${last},0.1`, `${ids[0]},0.1`, `${last},0.2`], new RegExp(`^duplicate\\.csv:4: point ${last} again \\(line 2 gave it already\\)$`)],
    [["point,runtime_min_s", `${ids[0]},0.1`, `${ids[1]},fast`], /^nan\.csv:3: runtime_min_s is not a positive number: 'fast'$/],
    [["point,runtime_min_s", `${ids[0]},0.1,7`], /^cells\.csv:2: has 3 cells, the header has 2$/],
    [["point,seconds", `${ids[0]},0.1`], /^nocolumn\.csv:1: no runtime_min_s column$/],
    // A misspelt knob would otherwise be ignored and the rows matched by the other knobs alone.
    [["order,unrol,runtime_min_s", "ijk,1,0.1"], /^typo\.csv:1: unknown column 'unrol'$/],
  ];
  for (const [i, [lines, expected]] of cases.entries()) {
    const name = ["nomatch", "ambiguous", "duplicate", "nan", "cells", "nocolumn", "typo"][i]!;
    const path = csv(`${name}.csv`, lines);
    const message = oneLine(() => importRuntimes(db, { sweep: "sim-only", csv: path, target: "bad" }));
    assert.match(message.replace(dir + "/", ""), expected);
  }
  assert.equal(runCount(), before, "no row of a rejected file is written");
  assert.equal(wide().columns["runtime_min_s@bad"], undefined);
  assert.match(oneLine(() => importRuntimes(db, { sweep: "nope", csv: join(dir, "by-id.csv") })), /no sweep named 'nope'.*/);
  assert.equal(oneLine(() => importRuntimes(join(dir, "typo.db"), { sweep: "sim-only", csv: join(dir, "by-id.csv") })), `no sweep store at ${join(dir, "typo.db")}`);
});

test("simlab import-runtimes: --dry-run says what it would join; a sweep that measures native itself needs --target", async () => {
  const file = csv("cli.csv", ["point,runtime_min_s", `${ids[0]},0.25`]);
  const cli = (args: string[]) => spawnSync(process.execPath, [CLI, "import-runtimes", ...args], { encoding: "utf8" });
  const dry = cli(["--db", db, "--sweep", "sim-only", "--target", "cli", "--dry-run", file]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(dry.stderr, "would join (dry run) 1 runtime (runtime_min_s) onto points of sweep 'sim-only' by point as native@cli\n");
  assert.equal(wide().columns["runtime_min_s@cli"], undefined, "the dry run wrote nothing");

  const withNative = join(dir, "native.db");
  await runSweep({ ...spec, name: "measured", tools: ["native"], workloads: [{ kind: "gemm", space: { M: [32], N: [32], K: [32] } }] }, { db: withNative, jobs: 1 });
  const refused = cli(["--db", withNative, "--sweep", "measured", file]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /sweep 'measured' measures native runtimes itself/);
  assert.equal(refused.stderr.trim().split("\n").length <= 2, true, refused.stderr);
});
