import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SshTarget } from "../../src/sim/remote-native.js";

/** A real OpenSSH server on 127.0.0.1 that plays the board (this machine), with keys made for it. */
export interface TestBoard {
  /** Reaches the board: user@127.0.0.1, its port, the client key and a private known_hosts. */
  target: SshTarget;
  /** A scratch folder (keys, config), removed by stop(). */
  dir: string;
  /** The board's TMPDIR (sshd's SetEnv): its simlab-board-* folders go here, apart from other boards' on this machine. */
  tmp: string;
  stop(): void;
}

/** A port nothing listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Starts sshd (/usr/sbin/sshd, openssh-server) on a free port and waits until a key login works. */
export async function startBoard(): Promise<TestBoard> {
  const dir = mkdtempSync(join(tmpdir(), "simlab-sshd-test-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "client_key")]);
  execFileSync("cp", [join(dir, "client_key.pub"), join(dir, "authorized_keys")]);
  mkdirSync("/run/sshd", { recursive: true });
  const tmp = join(dir, "board-tmp");
  mkdirSync(tmp);
  const port = await freePort();
  writeFileSync(join(dir, "sshd_config"), [
    `HostKey ${join(dir, "host_key")}`, `AuthorizedKeysFile ${join(dir, "authorized_keys")}`, "PermitRootLogin yes",
    "StrictModes no", "UsePAM no", "Subsystem sftp /usr/lib/openssh/sftp-server", "ListenAddress 127.0.0.1", `PidFile ${join(dir, "sshd.pid")}`, "PasswordAuthentication no", `SetEnv TMPDIR=${tmp}`, "",
  ].join("\n"));
  const sshd: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config"), "-p", String(port)], { stdio: "ignore" });
  const target: SshTarget = { ssh: `${process.env.USER ?? "root"}@127.0.0.1`, port, identity: join(dir, "client_key"), knownHosts: join(dir, "known_hosts") };
  const stop = () => {
    sshd.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    try {
      execFileSync("ssh", ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", `UserKnownHostsFile=${target.knownHosts}`, "-i", target.identity!, "-p", String(port), target.ssh, "true"], { stdio: "ignore" });
      return { target, dir, tmp, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  stop();
  throw new Error("sshd did not come up");
}

/** Whether a process runs from one of simlab's board folders under `tmp` (the board's TMPDIR) whose command line matches `name`. */
export function boardProcess(tmp: string, name = ""): boolean {
  try {
    execFileSync("pgrep", ["-f", `^${tmp}/simlab-board-.*${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
