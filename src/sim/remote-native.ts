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
  let identified: BoardIdentity | undefined;
  let board: Promise<{ identity: BoardIdentity; host: NonNullable<ToolInfo["host"]>; dir: string; taskset: boolean }> | undefined;
  // One line per answer, even an empty one (ARM boards often have no "model name" in /proc/cpuinfo).
  const describe = [
    "uname -m", "hostname", 'echo "$(grep -m1 "^model name" /proc/cpuinfo | sed "s/^[^:]*: *//")"', "nproc", "uname -sr",
    "(command -v taskset >/dev/null && echo taskset || echo none)", 'mktemp -d "${TMPDIR:-/tmp}/simlab-board-XXXXXX"',
  ].join("; ");
  const connect = () =>
    (board ??= (async () => {
      const r = await ssh(describe, new AbortController().signal);
      if (r.exitCode === 255) throw unreachable(r.stderr);
      const lines = r.stdout.replace(/\n$/, "").split("\n").map((l) => l.trim());
      if (r.exitCode !== 0 || lines.length < 7) throw new RunFailure("unavailable", `board ${where} did not describe itself (${formatCommand("ssh", [host, "uname -m …"])} exited ${r.exitCode})`, { stderrTail: r.stderr });
      const [machine, hostname, cpuModel, cores, kernel, taskset, dir] = lines;
      const identity = { hostname: hostname!, machine: machine!, cpuModel: cpuModel || "unknown" };
      if (target.isa !== undefined && target.isa !== identity.machine) {
        await ssh(`rm -rf ${quote(dir!)}`, new AbortController().signal).catch(() => undefined); // close() sees no board
        throw new RunFailure("unavailable", `board ${where} is ${identity.machine}, the target declares isa ${target.isa}`);
      }
      const boardHost = { cpuModel: identity.cpuModel, cores: Number(cores) || 0, kernel: `${kernel} ${machine} @${hostname}` };
      identified = identity;
      return { identity, host: boardHost, dir: dir!, taskset: taskset === "taskset" };
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
        const { identity, host: boardHost } = await connect();
        return { available: true, version: `${identity.machine} ${identity.cpuModel} @${identity.hostname}`, host: boardHost };
      } catch (e) {
        if (e instanceof RunFailure) return { available: false, reason: `${e.message} (check the host, port and key: ssh -p PORT USER@HOST works without a password)` };
        throw e;
      }
    },
    // The board's identity (not its address) tells its timings apart; the runner probes first, so it is known here.
    cacheKey: () => JSON.stringify({ reps, warmup, board: identified, cpu: target.cpu ?? options.cpu }),
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
      // Killing the local ssh does not end the run: the control connection keeps its output open until the
      // remote program exits. So an interrupt kills the program on the board at once, and the ssh then ends.
      const onAbort = () => void killRemote(binary);
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      try {
        const result = await ssh(`cd ${quote(dir)} && ${command.map(quote).join(" ")}`, ctx.signal, ctx.timeoutMs + 5000);
        if (result.exitCode === 255) throw unreachable(result.stderr);
        if (result.exitCode === 137) throw new RunFailure("timeout", `timed out after ${seconds} s on ${where}: ${command.join(" ")}`);
        return timedRunOutput(result, reps);
      } catch (e) {
        if (e instanceof RunFailure && e.reason === "timeout") await killRemote(binary);
        throw e;
      } finally {
        ctx.signal.removeEventListener("abort", onAbort);
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
