import { execFile } from "node:child_process";
import { SimlabError } from "../../core/errors.js";

/** How long a Slurm client command (sbatch, scontrol, scancel) may take before the controller counts as unreachable. */
const CLIENT_TIMEOUT_MS = 30_000;

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Slurm client command and returns its output, whatever its exit status. A missing command is a
 * SimlabError (the sweep cannot use Slurm from here); a timeout is one too (the controller does not answer).
 */
export function slurmClient(command: string, args: readonly string[], options: { input?: string } = {}): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: CLIENT_TIMEOUT_MS, maxBuffer: 256 << 20, encoding: "utf8" }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      if (e && e.code === "ENOENT") {
        return reject(new SimlabError(`${command} not found: the slurm backend needs Slurm's client commands here`, "apt-get install slurm-client (and set SLURM_CONF), or sweep with --backend local"));
      }
      if (e && e.killed) return reject(new SimlabError(`${command} ${args.join(" ")} did not answer in ${CLIENT_TIMEOUT_MS / 1000} s`, "is slurmctld running? (sinfo)"));
      resolve({ code: e ? (typeof e.code === "number" ? e.code : 1) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
