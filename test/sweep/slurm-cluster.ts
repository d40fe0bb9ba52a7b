import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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

/** Starts a one-node Slurm in a fresh temporary folder and returns once its node is idle. */
export function startLocalSlurm(): LocalSlurm {
  const dir = join(mkdtempSync(join(tmpdir(), "simlab-slurm-test-")), "cluster");
  const out = execFileSync("sh", [SCRIPT, "start", dir], { encoding: "utf8", timeout: 60_000 });
  const env: Record<string, string> = {};
  for (const match of out.matchAll(/^export (\w+)='([^']*)'$/gm)) env[match[1]!] = match[2]!;
  if (!env.SLURM_CONF) throw new Error(`slurm-local.sh start printed no SLURM_CONF:\n${out}`);
  return {
    dir,
    env,
    stop() {
      execFileSync("sh", [SCRIPT, "stop", dir], { encoding: "utf8", timeout: 60_000 });
      rmSync(join(dir, ".."), { recursive: true, force: true });
    },
  };
}
