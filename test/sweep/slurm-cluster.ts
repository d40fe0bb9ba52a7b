import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** test/cluster/slurm-local.sh, from the source tree (dist/test/sweep → test/cluster). */
const SCRIPT = fileURLToPath(new URL("../../../test/cluster/slurm-local.sh", import.meta.url));

export interface LocalSlurm {
  dir: string;
  /** SLURM_CONF and SIMLAB_SLURM_DIR, to pass to children or set on process.env. */
  env: Record<string, string>;
  /** Ends the daemons `start` started and removes the folder. */
  stop(): void;
}

/** Starts a one-node Slurm (with `cpus` CPUs, default the machine's) in a fresh temporary folder; returns once its node is idle. */
export function startLocalSlurm(cpus?: number): LocalSlurm {
  const parent = mkdtempSync(join(tmpdir(), "simlab-slurm-test-"));
  chmodSync(parent, 0o755); // munged runs as the munge user
  const dir = join(parent, "cluster");
  const env = { ...process.env, ...(cpus === undefined ? {} : { SIMLAB_SLURM_CPUS: String(cpus) }) };
  const out = execFileSync("sh", [SCRIPT, "start", dir], { encoding: "utf8", timeout: 60_000, env });
  const exported: Record<string, string> = {};
  for (const match of out.matchAll(/^export (\w+)='([^']*)'$/gm)) exported[match[1]!] = match[2]!;
  if (!exported.SLURM_CONF) throw new Error(`slurm-local.sh start printed no SLURM_CONF:\n${out}`);
  return {
    dir,
    env: exported,
    stop() {
      execFileSync("sh", [SCRIPT, "stop", dir], { encoding: "utf8", timeout: 60_000 });
      rmSync(join(dir, ".."), { recursive: true, force: true });
    },
  };
}
