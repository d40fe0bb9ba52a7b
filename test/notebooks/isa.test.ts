import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { JsonObject } from "../../src/kernel/protocol/wire.js";
import { KernelClient, simlabKernelLaunch } from "../../src/notebook/client.js";
import type { Notebook } from "../../src/notebook/ipynb.js";
import { openStore } from "../../src/store/index.js";
import { bundles, cellStarting, codeCells, executionCounts, htmlTableOf, joined, notebooksDir, runNotebook, source, textOf } from "./helpers.js";

// notebooks/isa.ipynb through the real kernel, with real gcc, the aarch64/riscv64 cross gcc and qemu-user with
// simlab's plugin: a GEMM + MVM sweep on three ISAs, its progress bar as the IOPub messages a frontend gets,
// qemu.kernel.* for every point, and one checksum per shape across the ISAs.
const dir = mkdtempSync(join(tmpdir(), "simlab-isa-notebook-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, "isa.db");
const ISAS = ["x86_64", "aarch64", "riscv64"];
const POINTS = 12; // (2 GEMM + 2 MVM schedules) × 3 ISAs, one qemu run each

interface Message {
  type: string;
  content: JsonObject;
}
const plain = (m: Message) => joined((m.content.data as JsonObject | undefined)?.["text/plain"]);
const displayId = (m: Message) => (m.content.transient as JsonObject | undefined)?.display_id;
const streamed = (messages: Message[], name: string) => messages.filter((m) => m.type === "stream" && m.content.name === name).map((m) => joined(m.content.text)).join("");

test("isa.ipynb in the kernel: a GEMM + MVM sweep on x86_64, aarch64 and riscv64 under qemu, with a live progress bar and agreeing checksums", async () => {
  const nb = JSON.parse(readFileSync(join(notebooksDir, "isa.ipynb"), "utf8")) as Notebook;
  const kernel = await KernelClient.start({ ...simlabKernelLaunch(), env: { SIMLAB_ISA_DB: db } }, { cwd: dir });
  try {
    const run = async (code: string): Promise<Message[]> => {
      const messages: Message[] = [];
      const reply = await kernel.execute(code, { onIopub: (type, content) => messages.push({ type, content }), timeoutMs: 120_000 });
      assert.equal(reply.status, "ok", `${code.slice(0, 60)}: ${reply.ename}: ${reply.evalue}\n${streamed(messages, "stderr")}`);
      assert.deepEqual(messages.filter((m) => m.type === "error"), []);
      return messages;
    };
    const outputs = new Map<string, Message[]>();
    for (const cell of codeCells(nb)) outputs.set(source(cell), await run(source(cell)));
    const of = (prefix: string) => [...outputs].find(([s]) => s.startsWith(prefix))![1];

    // The progress bar: one display_data with a display_id, then update_display_data replacing it, to the end.
    const sweep = of("%sweep");
    assert.equal(streamed(sweep, "stderr"), "", "no run failed");
    const shown = sweep.filter((m) => m.type === "display_data");
    assert.equal(shown.length, 1, "the bar is displayed once");
    const id = displayId(shown[0]!);
    assert.ok(typeof id === "string" && id.length > 0, "the bar has a display_id");
    assert.match(plain(shown[0]!), new RegExp(`^isa-gemm-mvm [█░]+ \\d+/${POINTS} · `));
    const updates = sweep.filter((m) => m.type === "update_display_data");
    assert.ok(updates.length >= 1, "the bar is updated in place");
    assert.ok(updates.every((m) => displayId(m) === id), "every update replaces that bar");
    const settled = [shown[0]!, ...updates].map((m) => Number(new RegExp(`(\\d+)/${POINTS} ·`).exec(plain(m))?.[1]));
    assert.ok(settled.every((n, i) => i === 0 || n >= settled[i - 1]!), `the count never goes back: ${settled.join(", ")}`);
    assert.match(plain(updates.at(-1)!), new RegExp(`${POINTS}/${POINTS} · ${POINTS} done · 0 failed · 0 cached · in \\d+:\\d\\d$`));

    // The statistics table the notebook shows, then every point as the kernel holds it.
    const shownTable = of('t.select("group"').find((m) => m.type === "execute_result")!;
    assert.match(joined((shownTable.content.data as JsonObject)["text/html"]), /<table[\s\S]*qemu\.kernel\.Ir/);
    const rows = JSON.parse(streamed(await run("console.log(JSON.stringify(t.objects()))"), "stdout")) as Record<string, unknown>[];
    assert.equal(rows.length, POINTS);
    for (const isa of ISAS) {
      assert.deepEqual(rows.filter((r) => r.isa === isa).map((r) => `${r.workload} ${r.order}`).sort(), ["gemm ijk", "gemm ikj", "mvm col", "mvm row"], `${isa}: every point`);
    }
    for (const r of rows) {
      assert.equal(r.status, "ok", `${r.group} ${r.order}: ${JSON.stringify(r.failures)}`);
      for (const event of ["Ir", "Dr", "Dw", "Bc"]) {
        const v = r[`qemu.kernel.${event}`];
        assert.ok(typeof v === "number" && Number.isFinite(v) && v > 0, `${r.group} ${r.order}: qemu.kernel.${event} = ${String(v)}`);
      }
      // Tiny shapes fit in L1 once main has touched them: the kernel's misses may be 0, never missing.
      for (const event of ["I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"]) {
        const v = r[`qemu.kernel.${event}`];
        assert.ok(typeof v === "number" && Number.isFinite(v) && v >= 0, `${r.group} ${r.order}: qemu.kernel.${event} = ${String(v)}`);
      }
      assert.ok((r["qemu.total.Ir"] as number) > (r["qemu.kernel.Ir"] as number), "the kernel is part of the program");
    }
    const ir = (isa: string) => rows.find((r) => r.isa === isa && r.workload === "gemm" && r.order === "ijk")!["qemu.kernel.Ir"];
    assert.equal(new Set(ISAS.map(ir)).size, 3, "each ISA ran its own binary");

    // The checksum table: one checksum per shape across the three ISAs, as the notebook shows it …
    const perShape = JSON.parse(streamed(await run("console.log(JSON.stringify(perShape.objects()))"), "stdout")) as Record<string, unknown>[];
    assert.deepEqual(perShape.map((s) => [s.shape, s.points, s.isas, s.checksums]), [["gemm M=16 N=16 K=16", 6, 3, 1], ["mvm M=32 N=32", 6, 3, 1]]);
    assert.match(joined((of("%load").find((m) => m.type === "execute_result")!.content.data as JsonObject)["text/html"]), /<table[\s\S]*checksums/);
    // … and read straight from the store: each workload's runs on all three ISAs printed one checksum.
    const store = openStore(db, { readonly: true });
    try {
      const sums = store
        .prepare("SELECT r.workload, count(DISTINCT r.checksum) AS sums, count(DISTINCT b.isa) AS isas, count(*) AS runs FROM runs r JOIN run_builds b ON b.run_id = r.id WHERE r.kind = 'point' AND r.status = 'ok' GROUP BY r.workload ORDER BY r.workload")
        .all();
      assert.deepEqual(sums, [{ workload: "gemm", sums: 1, isas: 3, runs: 6 }, { workload: "mvm", sums: 1, isas: 3, runs: 6 }]);
      assert.equal(perShape[0]!.checksum, store.prepare("SELECT checksum FROM runs WHERE workload = 'gemm' AND status = 'ok' LIMIT 1").pluck().get());
    } finally {
      store.close();
    }
  } finally {
    await kernel.shutdown();
  }
});

test("simlab run isa.ipynb on the same store: every run comes from the cache and the executed notebook shows the same tables", async () => {
  const nb = (await runNotebook("isa", join(dir, "isa-out.ipynb"), { env: { SIMLAB_ISA_DB: db }, timeoutMs: 120_000 })).notebook;
  assert.deepEqual(executionCounts(nb), codeCells(nb).map((_, i) => i + 1));
  const sweep = cellStarting(nb, "%sweep");
  assert.match(textOf(sweep.outputs.filter((o) => o.output_type === "display_data")), new RegExp(`${POINTS}/${POINTS} · 0 done · 0 failed · ${POINTS} cached`));
  assert.equal(sweep.outputs.filter((o) => o.output_type === "stream").length, 0, "nothing on stderr");
  const stats = htmlTableOf(cellStarting(nb, 't.select("group"'));
  assert.equal(stats.rows.length, POINTS);
  assert.deepEqual([...new Set(stats.rows.map((r) => r[stats.columns.indexOf("isa")]))], ISAS);
  const checks = htmlTableOf(cellStarting(nb, "%load"));
  assert.deepEqual(checks.rows.map((r) => r.slice(checks.columns.indexOf("points"), checks.columns.indexOf("checksums") + 1)), [["6", "3", "1"], ["6", "3", "1"]]);
  assert.ok(bundles(cellStarting(nb, "%load")).length > 0);
});
