import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isSimlabError } from "../../src/core/errors.js";
import { wideTable } from "../../src/data/from-store.js";
import { openStore } from "../../src/store/index.js";
import { runSweep } from "../../src/sweep/index.js";
import { sweepCli } from "./sweep-cli.js";

// The qemu tool inside real sweeps (gcc, qemu-user with simlab's plugin, valgrind, SQLite): its columns land
// in the wide table, and the host sweep's kill -9 + resume and interrupt guarantees hold for its runs.
const dir = mkdtempSync(join(tmpdir(), "simlab-qemu-sweep-test-"));

function writeSpec(name: string, spec: object): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, ...spec }));
  return path;
}

function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

type Row = { id: number; cache_key: string; finished: string; tool: string; status: string };
function runs(db: string): Row[] {
  try {
    const store = openStore(db, { readonly: true });
    try {
      return store.prepare("SELECT id, cache_key, finished, tool, status FROM runs WHERE kind = 'point' ORDER BY id").all() as Row[];
    } finally {
      store.close();
    }
  } catch {
    return []; // not created yet
  }
}
const okRuns = (db: string) => runs(db).filter((r) => r.status === "ok");

const ORDERS = ["ijk", "ikj", "jik", "jki", "kij", "kji"];

test("a host GEMM sweep with qemu and cachegrind stores qemu.kernel.* for every point, Ir agreeing with cachegrind", async () => {
  const db = join(dir, "gemm.db");
  const spec = { name: "qemu-gemm", workloads: [{ kind: "gemm", space: { M: [24], N: [24], K: [24], order: ORDERS.slice(0, 3), unroll: [1, 2] } }], tools: ["qemu", "cachegrind"] };
  const summary = await runSweep(spec, { db, jobs: 2 });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.equal(summary.done, 12);
  const t = wideTable(db, "qemu-gemm");
  assert.equal(t.numRows(), 6);
  for (const column of ["qemu.kernel.Ir", "qemu.kernel.Dr", "qemu.kernel.Dw", "qemu.kernel.Bc", "qemu.total.Ir", "qemu.total.D1mr", "qemu.total.DLmr"]) {
    const values = t.array(column) as (number | null)[];
    assert.ok(values.every((v) => typeof v === "number" && v > 0), `${column} is filled in every row: ${values.join(", ")}`);
  }
  const qemuIr = t.array("qemu.kernel.Ir") as number[], cgIr = t.array("cachegrind.kernel.Ir") as number[];
  qemuIr.forEach((ir, i) => assert.ok(Math.abs(ir - cgIr[i]!) <= 0.005 * cgIr[i]!, `row ${i}: qemu ${ir} vs cachegrind ${cgIr[i]}`));
  // 24³ floats fit in D1 once main has touched them, so the kernel's misses are few (maybe none): compare, not > 0.
  const qemuD1 = t.array("qemu.kernel.D1mr") as number[], cgD1 = t.array("cachegrind.kernel.D1mr") as number[];
  qemuD1.forEach((d1, i) => assert.ok(typeof d1 === "number" && Math.abs(d1 - cgD1[i]!) <= 0.1 * cgD1[i]! + 2, `row ${i}: qemu D1mr ${d1} vs cachegrind ${cgD1[i]}`));
  assert.deepEqual(new Set(t.array("status") as string[]), new Set(["ok"]));

  const again = await runSweep(spec, { db });
  assert.equal(again.cached, 12, "a rerun reuses every qemu and cachegrind run");
  assert.equal(again.done, 0);
});

test("kill -9 of `simlab sweep` mid-way with qemu, then resume: each point has its qemu stats once, no qemu left", async () => {
  const spec = writeSpec("qemu-killed", {
    workloads: [{ kind: "gemm", space: { M: [48, 56], N: [48], K: [48], order: ORDERS, unroll: [1, 2] } }],
    tools: ["qemu"],
    options: { jobs: 2 },
  });
  const db = join(dir, "killed.db");
  const { child, done } = sweepCli([spec, "--db", db]);
  while (okRuns(db).length < 3) {
    assert.equal(child.exitCode, null, "the sweep ended before it could be killed");
    await sleep(20);
  }
  child.kill("SIGKILL");
  await done;
  const kept = okRuns(db);
  assert.ok(kept.length >= 3 && kept.length < 24, `killed midway (${kept.length} of 24 finished)`);

  const summary = await runSweep(spec, { db });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.equal(summary.cached, kept.length, "every finished qemu run is reused");
  assert.equal(summary.done, 24 - kept.length, "only the missing runs are executed");
  const after = okRuns(db);
  assert.equal(after.length, 24);
  assert.equal(new Set(after.map((r) => r.cache_key)).size, 24, "no key has two finished runs");
  for (const run of kept) assert.deepEqual(after.find((r) => r.id === run.id), run, "a run finished before the kill is untouched");
  assert.deepEqual(runs(db).filter((r) => r.status === "running"), []);
  const t = wideTable(db, "qemu-killed");
  assert.equal(t.numRows(), 24);
  assert.ok((t.array("qemu.kernel.Ir") as (number | null)[]).every((v) => typeof v === "number" && v > 0), "every point has qemu.kernel.Ir");
  assert.deepEqual(processesMentioning(`simlab-sweep-${child.pid}-`), [], "no qemu (or other process) of the killed sweep survives");
});

test("an interrupt mid-sweep with qemu leaves no qemu process alive after 1 s and no run marked running", async () => {
  const spec = { name: "qemu-interrupted", workloads: [{ kind: "gemm", space: { M: [48], N: [48], K: [48], order: ORDERS, unroll: [1, 2] } }], tools: ["qemu"] };
  const db = join(dir, "interrupted.db");
  const controller = new AbortController();
  const error = await runSweep(spec, { db, jobs: 2, signal: controller.signal, onProgress: (p) => p.done >= 2 && controller.abort() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const abortedAt = performance.now();
  assert.ok(isSimlabError(error) && /interrupted after \d+ of 12 runs/.test(error.message), String(error));
  let left = processesMentioning(`simlab-sweep-${process.pid}-`);
  while (left.length > 0 && performance.now() - abortedAt < 1000) {
    await sleep(50);
    left = processesMentioning(`simlab-sweep-${process.pid}-`);
  }
  assert.deepEqual(left, [], "no qemu is left 1 s after the interrupt");
  assert.deepEqual(runs(db).filter((r) => r.status === "running"), []);
  assert.ok(okRuns(db).length >= 2);
});

/** A matrix-vector kernel whose size and loop order are -D knobs, in the output protocol (sim mode). */
const MVM = `#include <stdio.h>
static double A[N][N], x[N], y[N];
__attribute__((noinline)) void kernel(void) {
#if ORDER == 0
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) y[i] += A[i][j] * x[j];
#else
  for (int j = 0; j < N; j++) for (int i = 0; i < N; i++) y[i] += A[i][j] * x[j];
#endif
}
int main(void) {
  for (int i = 0; i < N; i++) { x[i] = i % 5; for (int j = 0; j < N; j++) A[i][j] = (i * j) % 7; }
  kernel();
  double s = 0; for (int i = 0; i < N; i++) s += y[i] * (i + 1);
  printf("checksum %.0f\\n", s);
  return 0;
}
`;

test("cross-built aarch64 and riscv64 variants in one sweep: qemu and mca statistics for every point, checksums as on x86", async () => {
  const file = join(dir, "mvm.c");
  writeFileSync(file, MVM);
  const flags = ["-static", "-O2", "-ffp-contract=off"];
  // TARGET only tells the points apart (point identity has no compiler; the spec's isa: is another issue's work).
  const workload = (cc: string) => ({ kind: "cfile", space: { N: [64, 96], ORDER: [0, 1], TARGET: [cc.split("-")[0]!] }, options: { file, cc, flags, reference: { ORDER: 0 } } });
  const db = join(dir, "cross.db");
  const spec = { name: "qemu-cross", workloads: ["gcc", "aarch64-linux-gnu-gcc", "riscv64-linux-gnu-gcc"].map(workload), tools: ["qemu", "mca"] };
  const summary = await runSweep(spec, { db, jobs: 2 });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.equal(summary.done, 24);
  const store = openStore(db, { readonly: true });
  const rows = store
    .prepare(
      `SELECT r.knobs, r.tool, r.checksum, st.value FROM runs r LEFT JOIN statistics st ON st.run_id = r.id
       AND st.name = CASE r.tool WHEN 'qemu' THEN 'kernel.Ir' ELSE 'kernel.cycles' END WHERE r.kind = 'point' AND r.status = 'ok'`,
    )
    .all() as { knobs: string; tool: string; checksum: string; value: number | null }[];
  store.close();
  assert.equal(rows.length, 24);
  for (const r of rows) assert.ok(r.value !== null && r.value > 0, `${r.tool} ${r.knobs}: kernel statistic ${r.value}`);
  // Same knobs, three ISAs (and both tools): one checksum.
  const byKnobs = new Map<string, Set<string>>();
  for (const r of rows) {
    const { N, ORDER } = JSON.parse(r.knobs) as { N: number; ORDER: number };
    const key = JSON.stringify({ N, ORDER });
    byKnobs.set(key, (byKnobs.get(key) ?? new Set()).add(r.checksum));
  }
  assert.equal(byKnobs.size, 4);
  for (const [knobs, checksums] of byKnobs) assert.equal(checksums.size, 1, `${knobs}: checksums ${[...checksums].join(", ")}`);
});
