import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { JsonObject } from "../../src/kernel/protocol/wire.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { KernelClient, simlabKernelLaunch } from "../../src/notebook/client.js";
import { openStore, wideColumns } from "../../src/store/index.js";
import { runSweep } from "../../src/sweep/index.js";
import { recordingContext } from "./context.js";

// %import-runtimes in the real kernel, onto a real sweep (tiny GEMMs under real cachegrind, a real SQLite store).
const dir = mkdtempSync(join(tmpdir(), "simlab-import-magic-"));
const db = join(dir, "sweeps.db");
const spec = { name: "sim-only", workloads: [{ kind: "gemm", space: { M: [16], N: [16], K: [16], order: ["ijk", "ikj"], unroll: [1, 4] } }], tools: ["cachegrind"], options: { driftEvery: 0 } };
let kernel: KernelClient;

before(async () => {
  const summary = await runSweep(spec, { db, jobs: 2 });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  kernel = await KernelClient.start(simlabKernelLaunch(), { cwd: dir });
});
after(async () => {
  await kernel?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, lines: string[]): string {
  writeFileSync(join(dir, name), lines.join("\n") + "\n");
  return name; // the kernel runs in dir
}

/** What a frontend sees of one cell: the reply and the IOPub messages. */
async function cell(code: string) {
  const messages: { type: string; content: JsonObject }[] = [];
  const reply = await kernel.execute(code, { onIopub: (type, content) => messages.push({ type, content }), timeoutMs: 60_000 });
  const text = (type: string) => messages.filter((m) => m.type === type).map((m) => String(m.type === "stream" ? m.content.text : (m.content.data as JsonObject)["text/plain"])).join("");
  return { reply, result: text("execute_result"), stdout: text("stream"), errors: messages.filter((m) => m.type === "error").map((m) => String(m.content.evalue)) };
}

/** The store as a fingerprint: every run and statistic, and the wide table's columns. */
function storeState(): string {
  const store = openStore(db, { readonly: true });
  try {
    const runs = store.prepare("SELECT id, cache_key, tool, status FROM runs ORDER BY id").all();
    const stats = store.prepare("SELECT count(*) FROM statistics").pluck().get();
    return JSON.stringify({ runs, stats, columns: wideColumns(store, "sim-only").names });
  } finally {
    store.close();
  }
}

const part = (line: string) => splitCell(line)[0] as MagicPart;

test("%import-runtimes? and --help show the same options as simlab import-runtimes and run nothing", async () => {
  for (const line of ["%import-runtimes?", "%import-runtimes --help"]) {
    const before = storeState();
    const { ctx, stdout } = recordingContext({ runCode: async () => assert.fail("help must not run code") });
    assert.equal((await runMagic(part(line), ctx)).value, undefined);
    assert.match(stdout(), /^usage: %import-runtimes /, line);
    for (const option of ["--db", "--sweep", "--target", "--dry-run"]) assert.match(stdout(), new RegExp(`${option}\\b`), `${line}: ${option}`);
    assert.match(stdout(), /names each point by a `point` column \(the wide table's point id\) or by knob columns/);
    assert.equal(storeState(), before);
  }
  const help = await cell("%import-runtimes --help");
  assert.equal(help.reply.status, "ok");
  assert.match(help.stdout, /^usage: %import-runtimes [\s\S]*--dry-run/);
});

test("bad input through the kernel — missing file, missing store, unknown column, unknown point — is one line and the store is unchanged", async () => {
  const before = storeState();
  const knobs = csv("typo.csv", ["ordr,unroll,runtime_min_s", "ijk,1,0.004"]);
  const points = csv("nopoint.csv", ["point,runtime_min_s", "99999,0.1"]);
  const cases: [string, RegExp][] = [
    ["%import-runtimes nothere.csv --db sweeps.db --sweep sim-only --target rpi4", /^cannot read nothere\.csv: ENOENT$/],
    [`%import-runtimes ${points} --db nope.db --sweep sim-only --target rpi4`, /^no sweep store at nope\.db$/],
    [`%import-runtimes ${knobs} --db sweeps.db --sweep sim-only --target rpi4`, /^typo\.csv:1: unknown column 'ordr'$/],
    [`%import-runtimes ${points} --db sweeps.db --sweep sim-only --target rpi4`, /^nopoint\.csv:2: matches no point of sweep 'sim-only' \(point=99999\)$/],
    [`%import-runtimes ${points} --db sweeps.db --sweep sim-onyl --target rpi4`, /^no sweep named 'sim-onyl' in the store$/],
    [`%import-runtimes ${points} --db sweeps.db --target rpi4`, /--sweep/],
  ];
  for (const [line, expected] of cases) {
    const { reply, errors } = await cell(line);
    assert.equal(reply.status, "error", line);
    assert.equal(errors.length, 1, `${line}: one error`);
    // One line, plus the hint on its own line, as every SimlabError shows in the kernel.
    const [message, ...rest] = errors[0]!.split("\n");
    assert.ok(rest.length <= 1 && rest.every((l) => l.startsWith("hint: ")), `${line}: one line and a hint: ${errors[0]}`);
    assert.match(message!, expected, line);
  }
  const typo = await cell(`%import-runtimes ${knobs} --db sweeps.db --sweep sim-only`);
  assert.match(JSON.stringify(typo), /did you mean 'order'\?/, "the hint names the knob");
  assert.equal(storeState(), before, "no rejected import wrote anything");
  assert.equal(existsSync(join(dir, "nope.db")), false, "a missing store is not created");
  assert.equal((await cell("1 + 1")).result, "2", "the kernel is still usable");
});

test("a dry run reports and writes nothing; the import binds its summary and the runtimes show in %load's table", async () => {
  const file = csv("rpi4.csv", ["order,unroll,runtime_min_s,notes", "ijk,1,0.004,a", "ikj,1,0.002,b", "ijk,4,0.003,c", "ikj,4.0,0.001,d"]);
  const before = storeState();
  const dry = await cell(`%import-runtimes ${file} --db sweeps.db --sweep sim-only --target rpi4 --dry-run`);
  assert.equal(dry.reply.status, "ok", dry.errors.join());
  assert.equal(dry.result, "would join (dry run) 4 runtimes (runtime_min_s) onto points of sweep 'sim-only' by knobs as native@rpi4");
  assert.equal(storeState(), before, "the dry run wrote nothing");

  const done = await cell(`%import-runtimes ${file} --db {"sweeps.db"} --sweep sim-only --target rpi4 -> imported`);
  assert.equal(done.reply.status, "ok", done.errors.join());
  assert.equal((await cell("`${imported.points} by ${imported.by} as ${imported.tool}, written: ${imported.written}`")).result, "'4 by knobs as native@rpi4, written: true'");
  const loaded = await cell('%load sweeps.db --sweep sim-only -> t\nconsole.log(JSON.stringify(["order", "unroll", "runtime_min_s@rpi4"].map((c) => Array.from(t.array(c)))))');
  assert.equal(loaded.reply.status, "ok", loaded.errors.join());
  const [orders, unrolls, runtimes] = JSON.parse(loaded.stdout) as [string[], number[], number[]];
  assert.deepEqual(orders.map((o, i) => `${o} ${unrolls[i]} ${runtimes[i]}`).sort(), ["ijk 1 0.004", "ijk 4 0.003", "ikj 1 0.002", "ikj 4 0.001"]);

  const again = await cell(`%import-runtimes ${file} --db sweeps.db --sweep sim-only --target rpi4`);
  assert.equal(again.result, "joined 4 runtimes (runtime_min_s) onto points of sweep 'sim-only' by knobs as native@rpi4, replacing 4 imported before");
});
