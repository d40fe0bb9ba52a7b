/**
 * Kernel speed, simlab next to stock tslab in the same run (3 launches each, interleaved; medians): launch →
 * kernel_info reply, launch → first cell's result, the round trip of a trivial cell (p50, p95) and of a typed cell
 * (declares a typed array, type-checked against the earlier cells). Then, in simlab's kernel, the same 10 M-iteration sum at a
 * cell's top level and inside a function (best of 3, interleaved): the ratio is the cost of top-level variables.
 * Run: `npx tsc -p . && node dist/bench/kernel.js`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import { type ConnectionInfo, type JupyterMessage, Signer, createMessage, decodeMessage, encodeMessage, endpoint } from "../src/kernel/protocol/wire.js";

const root = resolve(fileURLToPath(import.meta.url), "..", "..", "..");
const ROUND_TRIPS = 40;

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

/** A minimal Jupyter client: shell requests, replies matched by msg_id. */
class Client {
  private readonly shell = new zmq.Dealer();
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly waiting = new Map<string, (m: JupyterMessage) => void>();

  constructor(info: ConnectionInfo) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.shell.connect(endpoint(info, info.shell_port));
    void this.receive();
  }

  private async receive(): Promise<void> {
    try {
      for await (const frames of this.shell) {
        const message = decodeMessage(frames, this.signer);
        const id = message.parent_header.msg_id;
        if (id) this.waiting.get(id)?.(message);
      }
    } catch {
      // closed
    }
  }

  request(msgType: string, content: Record<string, unknown>): Promise<JupyterMessage> {
    const message = createMessage(msgType, content, { session: this.session });
    return new Promise((res) => {
      this.waiting.set(message.header.msg_id, res);
      void this.shell.send(encodeMessage(message, this.signer));
    });
  }

  execute(code: string): Promise<JupyterMessage> {
    return this.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  }

  close(): void {
    this.shell.close();
  }
}

interface Figures {
  kernelInfo: number;
  firstResult: number;
  p50: number;
  p95: number;
  typedP50: number;
}

const LOOP_ROUNDS = 3;

/** Best-of-3 wall time of the 10 M-iteration sum at top level and inside a function, in one kernel. */
async function loopFigures(client: Client): Promise<{ topLevel: number; inFunction: number }> {
  const timed = async (code: string) => {
    const t = performance.now();
    const reply = await client.execute(code);
    if (reply.content.status !== "ok") throw new Error(`loop cell failed: ${JSON.stringify(reply.content)}`);
    return performance.now() - t;
  };
  const top: number[] = [];
  const fn: number[] = [];
  for (let r = 0; r < LOOP_ROUNDS; r++) {
    top.push(await timed(`let sum${r} = 0;\nfor (let i = 0; i < 10_000_000; i++) sum${r} += i;\nsum${r}`));
    fn.push(await timed(`function loop${r}() { let sum = 0; for (let i = 0; i < 10_000_000; i++) sum += i; return sum }\nloop${r}()`));
  }
  return { topLevel: Math.min(...top), inFunction: Math.min(...fn) };
}

/** Round trips of cells that each declare a typed array and read it back (type-checked against the earlier ones), sorted. */
async function typedCellTimes(client: Client): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t = performance.now();
    const reply = await client.execute(`const typed${i}: number[] = [${i}, ${i + 1}, ${i + 2}];\nconst total${i}: number = typed${i}.reduce((a, b) => a + b, 0);\ntotal${i}`);
    times.push(performance.now() - t);
    if (reply.content.status !== "ok") throw new Error(`typed cell failed: ${JSON.stringify(reply.content)}`);
  }
  return times.sort((a, b) => a - b);
}

/** The q-quantile of sorted values: the one at floor(q·n), clamped to the last. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

let loops: { topLevel: number; inFunction: number } | undefined;

async function measure(argv: (conn: string) => string[], withLoops = false): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "simlab-bench-"));
  const info: ConnectionInfo = {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: await freePort(),
    iopub_port: await freePort(),
    stdin_port: await freePort(),
    control_port: await freePort(),
    hb_port: await freePort(),
    key: randomUUID(),
    signature_scheme: "hmac-sha256",
  };
  const conn = join(dir, "kernel.json");
  writeFileSync(conn, JSON.stringify(info));
  const [command, ...args] = argv(conn);
  const started = performance.now();
  const kernel: ChildProcess = spawn(command!, args, { cwd: dir, stdio: "ignore" });
  const client = new Client(info);
  try {
    await client.request("kernel_info_request", {});
    const kernelInfo = performance.now() - started;
    const first = await client.execute("1 + 1");
    if (first.content.status !== "ok") throw new Error(`first cell failed: ${JSON.stringify(first.content)}`);
    const firstResult = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const t = performance.now();
      await client.execute(`${i} + 1`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const typed = await typedCellTimes(client);
    if (withLoops) loops = await loopFigures(client);
    return { kernelInfo, firstResult, p50: quantile(times, 0.5), p95: quantile(times, 0.95), typedP50: quantile(typed, 0.5) };
  } finally {
    client.close();
    kernel.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each kernel launched LAUNCHES times, interleaved (the machine's load drifts); every figure is the median over launches. */
const LAUNCHES = 3;
const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
const medianFigures = (runs: Figures[]): Figures => {
  const keys = Object.keys(runs[0]!) as (keyof Figures)[];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as unknown as Figures;
};
const loadBefore = loadavg()[0]!;
const simlabRuns: Figures[] = [];
const tslabRuns: Figures[] = [];
for (let i = 0; i < LAUNCHES; i++) {
  simlabRuns.push(await measure((conn) => [process.execPath, join(root, "dist", "src", "cli", "main.js"), "kernel", "-f", conn], i === 0));
  tslabRuns.push(await measure((conn) => [process.execPath, join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", conn]));
}
const simlab = medianFigures(simlabRuns);
const tslab = medianFigures(tslabRuns);

console.log(`machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after; Node ${process.version}; medians of ${LAUNCHES} launches each`);
// Targets (issue 12) are simlab's time as a fraction of tslab's, measured in this run.
const rows: [string, keyof Figures, number][] = [
  ["launch → kernel_info reply", "kernelInfo", Number.NaN],
  ["launch → first cell result", "firstResult", 0.6],
  [`trivial cell round trip p50 (n=${ROUND_TRIPS})`, "p50", Number.NaN],
  [`trivial cell round trip p95 (n=${ROUND_TRIPS})`, "p95", Number.NaN],
  [`typed cell round trip p50 (n=${ROUND_TRIPS})`, "typedP50", 0.5],
];
console.log(`${"metric".padEnd(40)} ${"simlab".padStart(10)} ${"tslab".padStart(10)} ${"simlab/tslab".padStart(13)} ${"target".padStart(8)}`);
for (const [label, key, target] of rows) {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${label.padEnd(40)} ${ms(simlab[key]).padStart(10)} ${ms(tslab[key]).padStart(10)} ${`${(simlab[key] / tslab[key]).toFixed(2)}×`.padStart(13)} ${(Number.isNaN(target) ? "" : `≤ ${target}×`).padStart(8)}`,
  );
}
if (loops) {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log(
    `10 M-iteration sum (simlab, best of ${LOOP_ROUNDS}): top level ${ms(loops.topLevel)}, in a function ${ms(loops.inFunction)} (the anchor): ` +
      `${(loops.topLevel / loops.inFunction).toFixed(2)}× (target ≤ 2×)`,
  );
}
process.exit(0);
