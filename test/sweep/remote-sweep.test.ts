import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isSimlabError } from "../../src/core/errors.js";
import { openStore } from "../../src/store/index.js";
import { wideColumns } from "../../src/store/wide.js";
import { runSweep } from "../../src/sweep/index.js";
import { sweepCli } from "./sweep-cli.js";
import { boardProcess, freePort, startBoard, type TestBoard } from "../sim/sshd.js";

// Sweeps whose native runs happen on a board over ssh: a real sshd on 127.0.0.1 (test/sim/sshd.ts), real gcc,
// valgrind and SQLite. Tiny GEMMs (32³) keep each run far below a second.
let board: TestBoard;
let dir: string;
// simlab's local temp folders (ssh control sockets) go to a private TMPDIR, apart from other tests' on this machine.
const localTmp = mkdtempSync(join(tmpdir(), "simlab-remote-sweep-tmp-"));
process.env.TMPDIR = localTmp;

before(async () => {
  board = await startBoard();
  dir = mkdtempSync(join(tmpdir(), "simlab-remote-sweep-test-"));
});
after(() => {
  board?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(localTmp, { recursive: true, force: true });
});

const tiny = { kind: "gemm", space: { M: [32], N: [32], K: [32], order: ["ijk", "ikj"] } };
/** What simlab could leave behind: folders on the board (its TMPDIR) and local ssh control folders. */
const leftovers = () => [
  ...readdirSync(board.tmp).filter((e) => e.startsWith("simlab-board-")),
  ...readdirSync(localTmp).filter((e) => e.startsWith("simlab-ssh-")),
];

test("a gemm sweep with native on the board + cachegrind stores the board's runtimes and identity; host timings stay apart", async () => {
  const before = new Set(leftovers());
  const db = join(dir, "board.db");
  const spec = { name: "on-board", workloads: [tiny], tools: ["native", "cachegrind"], target: board.target, options: { reps: 3, driftEvery: 0 } };
  const summary = await runSweep(spec, { db, jobs: 2 });
  assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
  assert.equal(summary.done, 4);

  const wide = wideColumns(openStore(db, { readonly: true }), "on-board");
  assert.equal(wide.rowCount, 2);
  for (let row = 0; row < 2; row++) {
    assert.ok((wide.columns.runtime_min_s![row] as number) > 0, "a runtime measured on the board");
    assert.ok((wide.columns["cachegrind.kernel.Ir"]?.[row] as number) > 0, "cachegrind statistics beside it");
    assert.equal(wide.columns.status![row], "ok");
  }
  const store = openStore(db, { readonly: true });
  const runs = store.prepare("SELECT r.tool, r.tool_version, h.kernel, h.cores FROM runs r JOIN hosts h ON h.id = r.host_id WHERE r.kind = 'point'").all() as { tool: string; tool_version: string; kernel: string; cores: number }[];
  store.close();
  const hostname = execFileSync("hostname", { encoding: "utf8" }).trim();
  const machine = execFileSync("uname", ["-m"], { encoding: "utf8" }).trim();
  const native = runs.filter((r) => r.tool === "native");
  assert.equal(native.length, 2);
  for (const r of native) {
    assert.match(r.tool_version, new RegExp(`^${machine} .* @${hostname}$`), "the board's identity is the native tool's version");
    assert.match(r.kernel, new RegExp(` ${machine} @${hostname}$`), "the board is the runs' host");
    assert.ok(r.cores >= 1);
  }
  for (const r of runs.filter((r) => r.tool === "cachegrind")) assert.doesNotMatch(r.kernel, /@/, "simulations ran here");

  // The same points timed on this host are other runs: nothing of the board's is reused for them.
  const host = await runSweep({ ...spec, name: "on-host", tools: ["native"], target: undefined }, { db, jobs: 1 });
  assert.equal(host.cached, 0);
  assert.equal(host.done, 2);
  assert.deepEqual(leftovers().filter((e) => !before.has(e)), [], "no board folder or control connection left");
});

test("an unreachable board fails only the native runs, with one line; the sweep's cachegrind runs are kept and stored", async () => {
  const db = join(dir, "unreachable.db");
  const port = await freePort();
  const spec = { name: "unreachable", workloads: [tiny], tools: ["native", "cachegrind"], target: { ...board.target, port }, options: { driftEvery: 0 } };
  const summary = await runSweep(spec, { db, jobs: 2 });
  assert.equal(summary.failed, 2);
  assert.equal(summary.done, 2);
  // The reference's own failure, and its dependent's (which names the reference): one line each.
  for (const f of summary.failures) {
    assert.equal(`${f.tool}: ${f.reason}`, "native: unavailable");
    assert.match(f.message, new RegExp(`cannot reach board .*127\\.0\\.0\\.1:${port}: .*\\(check the host, port and key`));
    assert.equal(f.message.includes("\n"), false);
  }

  const wide = wideColumns(openStore(db, { readonly: true }), "unreachable");
  for (let row = 0; row < 2; row++) {
    assert.ok((wide.columns["cachegrind.kernel.Ir"]?.[row] as number) > 0);
    assert.equal(wide.columns.status![row], "failed");
    assert.equal(wide.columns.failures![row], "native: unavailable");
  }
  assert.equal(wide.columns.runtime_min_s, undefined, "no runtime pretends to be the board's");

  // simlab sweep --target says it once, not once per run, and still stores the simulations.
  const cliDb = join(dir, "unreachable-cli.db");
  const { done } = sweepCli(["--workload", "gemm", "--space", "M=32 N=32 K=32 order=ijk,ikj,jik", "--tools", "native,cachegrind", "--target", `ssh:root@127.0.0.1:${port}`, "--db", cliDb]);
  const { code, stderr } = await done;
  assert.equal(code, 1);
  const failedLines = stderr.split("\n").filter((l) => l.includes("failed:"));
  assert.equal(failedLines.length, 1, stderr);
  assert.match(failedLines[0]!, new RegExp(`^  failed: every native run: unavailable: cannot reach board root@127\\.0\\.0\\.1:${port}: `));
  assert.match(stderr, /3 done, 3 failed/);
});

test("interrupting a board sweep leaves no process and no temp folder on the board", async () => {
  const before = new Set(leftovers());
  const db = join(dir, "interrupt.db");
  // A 256³ GEMM timed 200 times runs for seconds on the board.
  const slow = { kind: "gemm", space: { M: [256], N: [256], K: [256], order: ["ijk", "ikj"] } };
  const spec = { name: "interrupted", workloads: [slow], tools: ["native"], target: board.target, options: { reps: 200, driftEvery: 0 } };
  const abort = new AbortController();
  const sweep = runSweep(spec, { db, jobs: 1, signal: abort.signal });
  sweep.catch(() => undefined); // awaited below
  for (let i = 0; i < 300 && !boardProcess(board.tmp); i++) await sleep(100);
  assert.equal(boardProcess(board.tmp), true, "a variant started on the board");
  abort.abort();
  await assert.rejects(sweep, (e) => isSimlabError(e) && /interrupted/.test(e.message));
  assert.equal(boardProcess(board.tmp), false, "nothing of simlab's runs on the board");
  assert.deepEqual(leftovers().filter((e) => !before.has(e)), [], "no board folder or control connection left");
  const store = openStore(db, { readonly: true });
  assert.equal(store.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get(), 0, "nothing left claimed");
  store.close();
});
