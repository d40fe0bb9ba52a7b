import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunFailure } from "../../src/core/contracts.js";
import { parseSshTarget, remoteNativeTool, type SshTarget } from "../../src/sim/remote-native.js";
import { boardProcess, freePort, startBoard, type TestBoard } from "./sshd.js";

// A real OpenSSH server on 127.0.0.1 plays the board (this machine), with keys made here (test/sim/sshd.ts).
let board: TestBoard;
let dir: string;
let target: SshTarget;
let timedBinary: string;
let sleeperBinary: string;

const signal = () => new AbortController().signal;
const ctx = (over: Partial<{ signal: AbortSignal; timeoutMs: number }> = {}) => ({ signal: signal(), timeoutMs: 20_000, workDir: dir, ...over });

before(async () => {
  board = await startBoard();
  ({ dir, target } = board);
  writeFileSync(join(dir, "timed.c"), '#include <stdio.h>\n#include <stdlib.h>\nint main(int c, char **v) { int reps = atoi(v[c-2]); for (int i = 0; i < reps; i++) printf("rep %d.0e-3\\n", i + 1); printf("checksum 42\\n"); return 0; }\n');
  writeFileSync(join(dir, "sleeper.c"), "#include <unistd.h>\nint main(void) { sleep(60); return 0; }\n");
  timedBinary = join(dir, "timed");
  sleeperBinary = join(dir, "sleeper-simlab-test");
  execFileSync("gcc", ["-O1", "-o", timedBinary, join(dir, "timed.c")]);
  execFileSync("gcc", ["-O1", "-o", sleeperBinary, join(dir, "sleeper.c")]);
});

after(() => board?.stop());

test("--target ssh:user@host[:port] parses, and anything else is one line with a hint", () => {
  assert.deepEqual(parseSshTarget("ssh:root@board:2222"), { ssh: "root@board", port: 2222 });
  assert.deepEqual(parseSshTarget("ssh:board"), { ssh: "board" });
  assert.throws(() => parseSshTarget("board:22"), /expected ssh:user@host\[:port\]/);
});

test("a run on the board copies the binary, times it there and reports the board's identity", async () => {
  const tool = remoteNativeTool({ ...target, cpu: 0 }, { reps: 3, warmup: 1 });
  try {
    const info = await tool.probe();
    assert.equal(info.available, true, info.reason);
    const identity = await tool.identity();
    assert.equal(identity.machine, execFileSync("uname", ["-m"], { encoding: "utf8" }).trim());
    assert.equal(identity.hostname, execFileSync("hostname", { encoding: "utf8" }).trim());
    const out = await tool.run({ binary: timedBinary, args: ["8"] } as never, ctx());
    assert.equal(out.stats.runtime_min_s, 1e-3);
    assert.equal(out.checksum, "42");
    assert.equal(info.host?.cores, Number(execFileSync("nproc", { encoding: "utf8" }).trim()), "the board's cores, for its host record");
    assert.equal(readdirSync(board.tmp).length, 1, "one temp folder on the board while the tool is open");
  } finally {
    await tool.close();
  }
  assert.deepEqual(readdirSync(board.tmp), [], "close() removes the board's temp folder");
});

test("an unreachable board is one line naming it, with a hint", async () => {
  const port = await freePort();
  const tool = remoteNativeTool({ ...target, port });
  try {
    const info = await tool.probe();
    assert.equal(info.available, false);
    assert.match(info.reason!, new RegExp(`cannot reach board .*127\\.0\\.0\\.1:${port}.*\\(check the host`));
    assert.equal(info.reason!.includes("\n"), false);
  } finally {
    await tool.close();
  }
});

test("a declared isa the board does not have fails before any run", async () => {
  const tool = remoteNativeTool({ ...target, isa: "riscv64-not-this" });
  try {
    const info = await tool.probe();
    assert.equal(info.available, false);
    assert.match(info.reason!, /is \S+, the target declares isa riscv64-not-this/);
    await assert.rejects(tool.run({ binary: timedBinary, args: [] } as never, ctx()), (e) => e instanceof RunFailure && e.reason === "unavailable");
  } finally {
    await tool.close();
  }
  assert.deepEqual(readdirSync(board.tmp), [], "the folder made while connecting is removed again");
});

test("interrupting a run leaves no process on the board", async () => {
  const tool = remoteNativeTool(target);
  try {
    const abort = new AbortController();
    const running = tool.run({ binary: sleeperBinary, args: [] } as never, ctx({ signal: abort.signal }));
    running.catch(() => undefined); // an early failure is reported by assert.rejects below, not as unhandled
    for (let i = 0; i < 100 && !boardProcess(board.tmp, "sleeper-simlab-test"); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(boardProcess(board.tmp, "sleeper-simlab-test"), true, "the remote program started");
    const t0 = performance.now();
    abort.abort();
    await assert.rejects(running, (e) => e instanceof RunFailure && e.reason === "cancelled");
    // Not the 20 s of the run's timeout: the control connection holds the run open until the board's program ends.
    assert.ok(performance.now() - t0 < 5000, `the run ended ${Math.round(performance.now() - t0)} ms after the interrupt`);
    assert.equal(boardProcess(board.tmp, "sleeper-simlab-test"), false);
  } finally {
    await tool.close();
  }
});
