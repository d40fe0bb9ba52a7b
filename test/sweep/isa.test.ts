import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ColumnTable } from "arquero";
import { parseArgs } from "../../src/args/parse.js";
import { isSimlabError, type SimlabError } from "../../src/core/errors.js";
import { hostIsa } from "../../src/core/isa.js";
import { groupIndex } from "../../src/data/index.js";
import { groupColumn } from "../../src/predict/design.js";
import { magics } from "../../src/magics/sweep.js";
import { finishedRunBuild, openStore, wideColumns } from "../../src/store/index.js";
import { runKey, variantKey } from "../../src/sweep/cache-key.js";
import { catalog } from "../../src/sweep/catalog.js";
import { sweepFromArgs } from "../../src/sweep/arguments.js";
import { planSweep, prepareTools } from "../../src/sweep/plan.js";
import { expandPoints } from "../../src/sweep/points.js";
import { runSweep } from "../../src/sweep/runner.js";
import { parseSpec, specFromArgs } from "../../src/sweep/spec.js";
import { CROSS_FLAGS, DEFAULT_FLAGS, workloadFor } from "../../src/workloads/index.js";
import { recordingContext } from "../magics/context.js";
import { sweepCli } from "./sweep-cli.js";

// Real cross gcc (gcc-aarch64-linux-gnu, gcc-riscv64-linux-gnu + their libc6-dev-*-cross) and real qemu-user
// through the qemu tool. Shapes are tiny: a qemu run of these takes ~0.3 s.
const dir = mkdtempSync(join(tmpdir(), "simlab-isa-test-"));
const HOST = hostIsa()!;
const sweepMagic = magics[0]!;

function specError(raw: unknown): SimlabError {
  try {
    parseSpec(raw, "s.json");
  } catch (e) {
    assert.ok(isSimlabError(e), `expected a SimlabError, got ${String(e)}`);
    return e;
  }
  assert.fail("the spec was accepted");
}

const gemm = { kind: "gemm", space: { M: [8], N: [8], K: [8], order: ["ijk", "ikj"] } };
const mvm = { kind: "mvm", space: { M: [16], N: [16], order: ["row", "col"] } };

test("isa: one ISA or a list, per sweep or per workload; a typo gets 'did you mean', a repeat is refused", () => {
  assert.deepEqual(parseSpec({ name: "a", workloads: [gemm], tools: ["qemu"], isa: "aarch64" }).isa, ["aarch64"]);
  const both = parseSpec({ name: "b", workloads: [gemm, { ...mvm, isa: ["riscv64"] }], tools: ["qemu"], isa: ["x86_64", "aarch64"] });
  assert.deepEqual(both.isa, ["x86_64", "aarch64"]);
  assert.deepEqual(both.workloads[1]!.isa, ["riscv64"]);
  assert.equal(parseSpec({ name: "c", workloads: [gemm], tools: ["qemu"] }).isa, undefined);

  const typo = specError({ name: "d", workloads: [gemm], tools: ["qemu"], isa: ["aarch64", "riscv"] });
  assert.equal(typo.message, `s.json: isa[1]: unknown ISA "riscv" (did you mean 'riscv64'?)`);
  assert.match(typo.hint ?? "", /x86_64, aarch64, riscv64/);
  assert.equal(typo.format().split("\n").length, 2);
  assert.match(specError({ name: "e", workloads: [{ ...gemm, isa: "arm64" }], tools: ["qemu"] }).message, /workloads\[0\]\.isa: unknown ISA "arm64"/);
  assert.match(specError({ name: "f", workloads: [gemm], tools: ["qemu"], isa: ["riscv64", "riscv64"] }).message, /isa: lists an ISA twice/);
  assert.match(specError({ name: "g", workloads: [gemm], tools: ["qemu"], isa: [] }).message, /isa: expected at least one ISA/);
  assert.match(specError({ name: "h", workloads: [gemm], tools: ["qemu"], isaa: "x86_64" }).message, /isaa: unknown field \(did you mean 'isa'\?\)/);

  // --isa on %sweep: a list with choices, a typo named with its nearest ISA.
  const parsed = parseArgs(sweepMagic, '--workload gemm --space "M=8 N=8 K=8" --tools qemu --isa aarch64,riscv64').args;
  assert.deepEqual(sweepFromArgs(parsed).spec.isa, ["aarch64", "riscv64"]);
  assert.throws(() => parseArgs(sweepMagic, "--workload gemm --isa aarch64,riscv6"), (e: unknown) => isSimlabError(e) && /did you mean riscv64\?/.test(e.message));
  // An inline sweep without --isa keeps the name it always had; with --isa it is another sweep.
  const plain = specFromArgs({ workload: "gemm", space: "M=8", tools: ["qemu"] });
  assert.equal(plain.name, specFromArgs({ workload: "gemm", space: "M=8", tools: ["qemu"] }).name);
  assert.notEqual(plain.name, specFromArgs({ workload: "gemm", space: "M=8", tools: ["qemu"], isa: ["aarch64"] }).name);
});

test("a host-ISA sweep's cache keys are those of before ISAs existed", async () => {
  // Pinned: computed with main's cache-key.js before this change, on fixed inputs (no machine in them).
  const source = { files: { "kernel.c": "int main(){}", "b.h": "x" }, flags: ["-O2", "-std=gnu11"], compiler: "gcc (Debian 12.2.0-14) 12.2.0", kernelFunction: "kernel" };
  const v = variantKey("gemm", {}, source);
  assert.equal(v, "b69ef712b435aa4d4927f3212ef5539f185c5e1256ebece0f5dfe981ae0503a5");
  assert.equal(variantKey("cfile", { file: "k.c" }, { files: { "k.c": "y" }, flags: ["-O2", "-DN=4"] }), "8d1c3e44a151266cfca06bb2f9db494948625de5d488d0f329cd185c943e1997");
  assert.equal(runKey(v, { name: "cachegrind", version: "valgrind-3.19.0", options: "{}" }), "488894c2c8ac44d57f03e69aeebea5a73516708572a2b7521ec7fd76585642e6");
  assert.notEqual(variantKey("gemm", {}, { ...source, isa: "aarch64" }), v);

  // The host's workload source carries no ISA and the default flags; naming the host's ISA changes no key.
  const hostSource = workloadFor("gemm").source({ M: 8, N: 8, K: 8 });
  assert.equal(hostSource.isa, undefined);
  assert.deepEqual(hostSource.flags, DEFAULT_FLAGS);
  const keysOf = async (raw: object) => {
    const spec = parseSpec({ name: "k", workloads: [gemm, mvm], tools: ["cachegrind"], ...raw });
    const db = openStore(join(dir, `keys-${Math.random()}.db`));
    try {
      const plan = planSweep(db, spec, expandPoints(spec, catalog), await prepareTools(spec, catalog));
      return plan.points;
    } finally {
      db.close();
    }
  };
  const before = await keysOf({});
  const named = await keysOf({ isa: HOST });
  assert.deepEqual(named.map((p) => p.keys), before.map((p) => p.keys));
  assert.ok(before.every((p) => !("isa" in p.knobs) && !/isa=/.test(p.group)));
  const cross = await keysOf({ isa: [HOST, "aarch64"] });
  // Points come workload by workload, each on every ISA: the host's keep their keys, the others get their own.
  assert.deepEqual(cross.filter((p) => p.knobs.isa === HOST).map((p) => p.keys), before.map((p) => p.keys));
  const foreign = cross.filter((p) => p.knobs.isa !== HOST);
  assert.equal(foreign.length, before.length);
  assert.ok(foreign.every((p) => p.knobs.isa === "aarch64" && p.group.endsWith(" isa=aarch64")));
  assert.ok(foreign.every((p, i) => p.keys.cachegrind !== before[i]!.keys.cachegrind));
});

const specPath = join(dir, "gemm-mvm.json");
writeFileSync(specPath, JSON.stringify({ name: "gemm-mvm", workloads: [gemm, mvm], tools: ["qemu"] }));
const db3 = join(dir, "three.db");

test("%sweep --isa x86_64,aarch64,riscv64: GEMM + MVM under qemu, checksums agree across ISAs, groups never mix ISAs", async () => {
  const { ctx, stderr, displayed } = recordingContext();
  const args = parseArgs(sweepMagic, `${specPath} --isa x86_64,aarch64,riscv64 --db ${db3} --jobs 2`).args;
  const table = (await sweepMagic.run(args, ctx)) as ColumnTable;
  assert.equal(stderr(), "");
  assert.ok(displayed.length > 0, "a progress bar was displayed");
  assert.equal(table.numRows(), 3 * 4);
  const names = table.columnNames();
  assert.equal(names[names.indexOf("group") + 1], "isa", "isa is the first knob column");
  const rows = table.objects() as Record<string, unknown>[];
  assert.ok(rows.every((r) => r.status === "ok"), JSON.stringify(rows.map((r) => r.failures)));
  for (const isa of ["x86_64", "aarch64", "riscv64"]) assert.equal(rows.filter((r) => r.isa === isa).length, 4);
  for (const r of rows) {
    assert.ok((r["qemu.total.Ir"] as number) > 0);
    if (r.isa !== "x86_64") assert.ok((r["qemu.kernel.Ir"] as number) > 0, `${r.group}: kernel counted`);
  }
  // Instruction counts differ by ISA, so the ISAs really ran different binaries.
  const ir = (isa: string) => rows.find((r) => r.isa === isa && r.workload === "mvm")!["qemu.total.Ir"];
  assert.notEqual(ir("aarch64"), ir("riscv64"));

  // 2 shapes × 3 ISAs: six groups, each of one ISA.
  const groups = groupIndex(table, ["group"]);
  assert.equal(groups.count, 6);
  for (let g = 0; g < groups.count; g++) {
    const isas = new Set(rows.filter((_, i) => groups.ids[i] === g).map((r) => r.isa));
    assert.equal(isas.size, 1, `group ${groups.labels[g]} mixes ${[...isas].join(", ")}`);
  }

  assert.deepEqual(groups.labels, [...new Set(rows.map((r) => r.group))], "ISA-pure group labels are kept as they are");
  // A coarser grouping is split by ISA too, in the data layer and in predict's.
  const byWorkload = groupIndex(table, ["workload"]);
  assert.equal(byWorkload.count, 6);
  assert.ok(byWorkload.labels.includes("mvm isa=riscv64"), byWorkload.labels.join(", "));
  assert.equal(new Set(groupColumn(table, "workload")).size, 6);

  // Every variant matched its own ISA's reference, and the references matched the host's: one checksum per workload.
  const store = openStore(db3);
  try {
    const sums = store.prepare("SELECT workload, count(DISTINCT checksum) AS n, count(*) AS runs FROM runs WHERE status = 'ok' GROUP BY workload").all() as { workload: string; n: number; runs: number }[];
    assert.deepEqual(sums.map((s) => [s.workload, s.n, s.runs]), [["gemm", 1, 6], ["mvm", 1, 6]]);
    // Provenance: ISA, cross compiler and its flags per run.
    const keys = store.prepare("SELECT r.cache_key FROM runs r WHERE r.status = 'ok'").pluck().all() as string[];
    const builds = keys.map((k) => finishedRunBuild(store, k)!);
    const aarch64 = builds.find((b) => b.isa === "aarch64")!;
    assert.match(aarch64.compiler ?? "", /^aarch64-linux-gnu-gcc .*12\./);
    assert.deepEqual(aarch64.flags.slice(-CROSS_FLAGS.length), CROSS_FLAGS);
    assert.match(builds.find((b) => b.isa === "riscv64")!.compiler ?? "", /^riscv64-linux-gnu-gcc /);
    assert.deepEqual(builds.find((b) => b.isa === "x86_64")!.flags, DEFAULT_FLAGS);
  } finally {
    store.close();
  }
});

test("a reference whose checksum differs on another ISA fails with one line naming the host's reference", async () => {
  // A real portability bug: the program's result depends on the ISA it was built for.
  const file = join(dir, "isa-dependent.c");
  writeFileSync(
    file,
    `#include <stdio.h>
__attribute__((noinline)) int kernel(void) {
#if defined(__x86_64__)
  return 1;
#else
  return 2;
#endif
}
int main(void) { printf("checksum %d\\n", kernel()); return 0; }
`,
  );
  const summary = await runSweep({ name: "portable", isa: ["x86_64", "aarch64"], tools: ["qemu"], workloads: [{ kind: "cfile", space: { N: [1] }, options: { file } }] }, { db: join(dir, "portable.db"), jobs: 2 });
  assert.equal(summary.failed, 1);
  assert.equal(summary.failures.length, 1);
  const [f] = summary.failures;
  assert.equal(f!.reason, "checksum");
  assert.equal(f!.message, "checksum 2 differs from the x86_64 reference variant's 1");
});

test("native and cachegrind refuse an aarch64 build with one line; qemu's run of it is kept", async () => {
  const summary = await runSweep({ name: "refuse", isa: "aarch64", tools: ["native", "cachegrind", "qemu"], workloads: [{ kind: "mvm", space: { M: [16], N: [16] } }] }, { db: join(dir, "refuse.db"), jobs: 2 });
  assert.equal(summary.runs, 3);
  assert.equal(summary.done, 1);
  const byTool = new Map(summary.failures.map((f) => [f.tool, f]));
  assert.equal(byTool.get("native")?.reason, "unavailable");
  assert.match(byTool.get("native")!.message, /^native timing needs an aarch64 target, this host is x86_64: use a board \(options\.tools\.native\.target: .*\) or simlab import-runtimes$/);
  assert.equal(byTool.get("cachegrind")?.reason, "unavailable");
  assert.match(byTool.get("cachegrind")!.message, /^cachegrind simulates x86_64 binaries only .*: use the qemu tool for this aarch64 build$/);
  for (const f of summary.failures) assert.equal(f.message.split("\n").length, 1);
});

/** A folder with every program of /usr/bin except those whose name starts with `without`: PATH without a cross gcc. */
function pathWithout(without: string): string {
  const bin = join(dir, `bin-without-${without}`);
  mkdirSync(bin);
  for (const name of readdirSync("/usr/bin")) if (!name.startsWith(without)) symlinkSync(join("/usr/bin", name), join(bin, name));
  return bin;
}

test("without riscv64-linux-gnu-gcc on PATH its runs fail with one line naming the apt package; the other ISAs' runs are kept", async () => {
  const saved = process.env.PATH;
  process.env.PATH = pathWithout("riscv64-linux-gnu-");
  let summary;
  try {
    summary = await runSweep({ name: "gemm-mvm", isa: ["x86_64", "aarch64", "riscv64"], workloads: [gemm, mvm], tools: ["qemu"] }, { db: db3, jobs: 2 });
  } finally {
    process.env.PATH = saved;
  }
  assert.equal(summary.runs, 12);
  assert.equal(summary.cached, 8, "the x86_64 and aarch64 runs of the earlier sweep are reused");
  assert.equal(summary.failed, 4);
  const messages = new Set(summary.failures.filter((f) => f.role === "point").map((f) => f.message));
  assert.ok([...messages].some((m) => m === "riscv64-linux-gnu-gcc not found: building for riscv64 needs it (apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)"), [...messages].join(" | "));
  for (const m of messages) assert.equal(m.split("\n").length, 1);

  const store = openStore(db3);
  try {
    const rows = wideColumns(store, "gemm-mvm");
    for (let r = 0; r < rows.rowCount; r++) {
      const isa = rows.columns.isa![r];
      assert.equal(rows.columns.status![r], isa === "riscv64" ? "failed" : "ok", `${rows.columns.group![r]}`);
    }
  } finally {
    store.close();
  }

  // With the compiler back, the riscv64 points are the ones stored before: nothing runs again.
  const again = await runSweep({ name: "gemm-mvm", isa: ["x86_64", "aarch64", "riscv64"], workloads: [gemm, mvm], tools: ["qemu"] }, { db: db3, jobs: 2 });
  assert.equal(again.cached, 12);
  assert.equal(again.failed, 0);
});

test("simlab sweep --isa: a cross sweep from the command line; a wrong ISA is one line with a suggestion", async () => {
  const db = join(dir, "cli.db");
  const ok = await sweepCli(["--workload", "mvm", "--space", "M=16 N=16", "--tools", "qemu", "--isa", "aarch64,riscv64", "--db", db]).done;
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /: 2 points × tools = 2 runs: 2 done, 0 failed, 0 cached/);
  const bad = await sweepCli(["--workload", "mvm", "--tools", "qemu", "--isa", "aarch46", "--db", db]).done;
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--isa must be one of x86_64, aarch64, riscv64, got .*aarch46.* \(did you mean aarch64\?\)/);
});
