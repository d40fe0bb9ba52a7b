import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { RunFailure, type Program, type RunContext, type RunOutput, type Tool, type ToolInfo } from "../core/contracts.js";
import { SimlabError } from "../core/errors.js";
import { hostIsa } from "../core/isa.js";
import { formatCommand, runProcess } from "../proc/run-process.js";
import { parseConfirmOptions } from "./confirm.js";
import { DEFAULT_REPS, DEFAULT_WARMUP, timedRunOutput } from "./native.js";
import type { SshTarget, ToolOptions } from "./options.js";

export type { SshTarget } from "./options.js";

/** What the board says it is: part of the cache key and the run's provenance. */
export interface BoardIdentity {
  hostname: string;
  machine: string;
  cpuModel: string;
}

const CONNECT_TIMEOUT_S = 5;

/** Parses `ssh:user@host[:port]` (the --target flag). */
export function parseSshTarget(text: string): SshTarget {
  const m = /^ssh:([^:\s]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new SimlabError(`--target: expected ssh:user@host[:port], got '${text}'`, "e.g. --target ssh:root@board.local:2222");
  return m[2] === undefined ? { ssh: m[1]! } : { ssh: m[1]!, port: Number(m[2]) };
}

/**
 * Native measurement on a board over ssh. One control connection (ControlMaster, in a private local folder)
 * serves every copy and run; binaries go to a per-tool temp folder on the board, which `close` removes.
 * Runs are bounded on the board by `timeout`, and a cancelled or timed-out run is followed by a `pkill` of
 * whatever still runs from that folder, because killing the local ssh does not reach the remote process.
 */
export function remoteNativeTool(target: SshTarget, options: ToolOptions = {}): Tool & { close(): Promise<void>; identity(): Promise<BoardIdentity> } {
  const reps = options.reps ?? DEFAULT_REPS;
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  if (options.confirm !== undefined && options.confirm !== false) parseConfirmOptions(options.confirm);
  const where = target.port === undefined ? target.ssh : `${target.ssh}:${target.port}`;
  const control = mkdtempSync(join(tmpdir(), "simlab-ssh-"));
  const sshOptions = [
    "-o", "BatchMode=yes",
    "-o", `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
    "-o", "ControlMaster=auto",
    "-o", `ControlPath=${join(control, "cm")}`,
    "-o", "ControlPersist=120",
    "-o", "StrictHostKeyChecking=accept-new",
    ...(target.knownHosts ? ["-o", `UserKnownHostsFile=${target.knownHosts}`] : []),
    ...(target.identity ? ["-i", target.identity] : []),
  ];
  const host = target.ssh;
  const ssh = (command: string, signal: AbortSignal, timeoutMs = 30_000) =>
    runProcess("ssh", [...sshOptions, ...(target.port ? ["-p", String(target.port)] : []), host, command], { signal, timeoutMs });

  const unreachable = (stderr: string) =>
    new RunFailure("unavailable", `cannot reach board ${where}: ${stderr.trim().split("\n").pop() || "ssh failed"}`, { stderrTail: stderr });
  let board: Promise<{ identity: BoardIdentity; dir: string; taskset: boolean }> | undefined;
  const connect = () =>
    (board ??= (async () => {
      const r = await ssh('uname -m; hostname; (grep -m1 "^model name" /proc/cpuinfo | sed "s/^[^:]*: *//") || true; command -v taskset >/dev/null && echo taskset || echo none; mktemp -d /tmp/simlab-board-XXXXXX', new AbortController().signal);
      if (r.exitCode === 255) throw unreachable(r.stderr);
      const lines = r.stdout.trim().split("\n");
      if (r.exitCode !== 0 || lines.length < 5) throw new RunFailure("unavailable", `board ${where} did not describe itself (${formatCommand("ssh", [host, "uname -m …"])} exited ${r.exitCode})`, { stderrTail: r.stderr });
      const [machine, hostname, cpuModel, taskset, dir] = lines.map((l) => l.trim());
      const identity = { hostname: hostname!, machine: machine!, cpuModel: cpuModel || "unknown" };
      if (target.isa !== undefined && target.isa !== identity.machine) {
        throw new RunFailure("unavailable", `board ${where} is ${identity.machine}, the target declares isa ${target.isa}`);
      }
      return { identity, dir: dir!, taskset: taskset === "taskset" };
    })());
  const copied = new Map<string, Promise<string>>();
  const copy = (binary: string, dir: string, signal: AbortSignal) => {
    let remote = copied.get(binary);
    if (!remote) {
      remote = (async () => {
        const path = `${dir}/${copied.size}-${basename(binary)}`;
        const r = await runProcess("scp", ["-q", ...sshOptions, ...(target.port ? ["-P", String(target.port)] : []), binary, `${host}:${path}`], { signal, timeoutMs: 120_000 });
        if (r.exitCode === 255) throw unreachable(r.stderr);
        if (r.exitCode !== 0) throw new RunFailure("crash", `could not copy ${binary} to ${where}: ${r.stderr.trim()}`, { stderrTail: r.stderr });
        return path;
      })();
      copied.set(binary, remote);
    }
    return remote;
  };
  const quote = (a: string) => formatCommand(a, []);

  return {
    name: "native",
    exclusive: true,
    async probe(): Promise<ToolInfo> {
      try {
        const { identity } = await connect();
        return { available: true, version: `${identity.machine} ${identity.cpuModel} @${identity.hostname}` };
      } catch (e) {
        if (e instanceof RunFailure) return { available: false, reason: `${e.message} (check the host, port and key: ssh -p PORT USER@HOST works without a password)` };
        throw e;
      }
    },
    // Known only after connecting; the runner probes first, so the board's identity is in the key.
    cacheKey: () => JSON.stringify({ reps, warmup, target: where, cpu: target.cpu ?? options.cpu }),
    identity: async () => (await connect()).identity,
    async run(program: Program, ctx: RunContext): Promise<RunOutput> {
      const { dir, taskset, identity } = await connect();
      const built = program.isa ?? hostIsa();
      if (built !== undefined && built !== identity.machine) {
        throw new RunFailure("unavailable", `board ${where} is ${identity.machine} and cannot run this ${built} build: sweep isa ${identity.machine} for it`);
      }
      const binary = await copy(program.binary, dir, ctx.signal);
      const cpu = target.cpu ?? options.cpu;
      const seconds = Math.max(1, Math.ceil(ctx.timeoutMs / 1000));
      const pin = cpu !== undefined && taskset ? ["taskset", "-c", String(cpu)] : [];
      const command = ["timeout", "-s", "KILL", String(seconds), ...pin, binary, ...program.args, "time", String(reps), String(warmup)];
      try {
        const result = await ssh(`cd ${quote(dir)} && ${command.map(quote).join(" ")}`, ctx.signal, ctx.timeoutMs + 5000);
        if (result.exitCode === 255) throw unreachable(result.stderr);
        if (result.exitCode === 137) throw new RunFailure("timeout", `timed out after ${seconds} s on ${where}: ${command.join(" ")}`);
        return timedRunOutput(result, reps);
      } catch (e) {
        if (e instanceof RunFailure && (e.reason === "cancelled" || e.reason === "timeout")) await killRemote(binary);
        throw e;
      }
    },
    async close() {
      if (board) {
        try {
          const { dir } = await board;
          await killRemote(dir);
          await ssh(`rm -rf ${quote(dir)}`, new AbortController().signal).catch(() => undefined);
        } catch {
          // Never connected: nothing on the board to remove.
        }
        await runProcess("ssh", [...sshOptions, "-O", "exit", host], { signal: new AbortController().signal, timeoutMs: 10_000 }).catch(() => undefined);
      }
      rmSync(control, { recursive: true, force: true });
    },
  };

  async function killRemote(path: string) {
    // The bracket keeps pkill's own shell (whose command line holds the path) from matching.
    await ssh(`pkill -KILL -f ${quote(`[${path[0]}]${path.slice(1)}`)} || true`, new AbortController().signal, 15_000).catch(() => undefined);
  }
}
