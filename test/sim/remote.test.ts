import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunFailure } from "../../src/core/contracts.js";
import { parseSshTarget, remoteNativeTool, type SshTarget } from "../../src/sim/remote-native.js";

// A real OpenSSH server on 127.0.0.1 plays the board (this machine), with keys made here.
let dir: string;
let sshd: ChildProcess;
let target: SshTarget;
let timedBinary: string;
let sleeperBinary: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const signal = () => new AbortController().signal;
const ctx = (over: Partial<{ signal: AbortSignal; timeoutMs: number }> = {}) => ({ signal: signal(), timeoutMs: 20_000, workDir: dir, ...over });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "simlab-remote-test-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "client_key")]);
  execFileSync("cp", [join(dir, "client_key.pub"), join(dir, "authorized_keys")]);
  mkdirSync("/run/sshd", { recursive: true });
  const port = await freePort();
  writeFileSync(join(dir, "sshd_config"), [
    `HostKey ${join(dir, "host_key")}`, `AuthorizedKeysFile ${join(dir, "authorized_keys")}`, "PermitRootLogin yes",
    "StrictModes no", "UsePAM no", "Subsystem sftp /usr/lib/openssh/sftp-server", "ListenAddress 127.0.0.1", `PidFile ${join(dir, "sshd.pid")}`, "PasswordAuthentication no", "",
  ].join("\n"));
  sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config"), "-p", String(port)], { stdio: "ignore" });
  target = { ssh: `${process.env.USER ?? "root"}@127.0.0.1`, port, identity: join(dir, "client_key"), knownHosts: join(dir, "known_hosts") };
  writeFileSync(join(dir, "timed.c"), '#include <stdio.h>\n#include <stdlib.h>\nint main(int c, char **v) { int reps = atoi(v[c-2]); for (int i = 0; i < reps; i++) printf("rep %d.0e-3\\n", i + 1); printf("checksum 42\\n"); return 0; }\n');
  writeFileSync(join(dir, "sleeper.c"), "#include <unistd.h>\nint main(void) { sleep(60); return 0; }\n");
  timedBinary = join(dir, "timed");
  sleeperBinary = join(dir, "sleeper-simlab-test");
  execFileSync("gcc", ["-O1", "-o", timedBinary, join(dir, "timed.c")]);
  execFileSync("gcc", ["-O1", "-o", sleeperBinary, join(dir, "sleeper.c")]);
  for (let i = 0; i < 50; i++) {
    try {
      execFileSync("ssh", ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", `UserKnownHostsFile=${target.knownHosts}`, "-i", target.identity!, "-p", String(port), target.ssh, "true"], { stdio: "ignore" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("sshd did not come up");
});

after(() => {
  sshd?.kill();
  rmSync(dir, { recursive: true, force: true });
});

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
  } finally {
    await tool.close();
  }
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
});

test("interrupting a run leaves no process on the board", async () => {
  const tool = remoteNativeTool(target);
  try {
    const abort = new AbortController();
    const running = tool.run({ binary: sleeperBinary, args: [] } as never, ctx({ signal: abort.signal }));
    running.catch(() => undefined); // an early failure is reported by assert.rejects below, not as unhandled
    for (let i = 0; i < 100 && !pgrep("sleeper-simlab-test"); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(pgrep("sleeper-simlab-test"), true, "the remote program started");
    abort.abort();
    await assert.rejects(running, (e) => e instanceof RunFailure && e.reason === "cancelled");
    assert.equal(pgrep("sleeper-simlab-test"), false);
  } finally {
    await tool.close();
  }
});

function pgrep(name: string): boolean {
  try {
    execFileSync("pgrep", ["-f", `^/tmp/simlab-board-.*${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
