import { readFileSync } from "node:fs";
import { slurmClient } from "./slurm-command.js";

/** A Slurm job state (JobState), e.g. PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, NODE_FAIL. */
export type JobState = string;

export interface TaskStatus {
  state: JobState;
  /** "exit:signal" as Slurm reports it, e.g. "1:0"; undefined while the task has not ended. */
  exitCode?: string;
  reason?: string;
}

/** States of a task that has not ended yet. */
const LIVE = new Set(["PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD"]);

export function isLive(state: JobState): boolean {
  return LIVE.has(state);
}

/** key=value fields of one `scontrol -o` or job-completion record (values up to the next space). */
function fields(line: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of line.matchAll(/(?:^|\s)([A-Za-z]+)=(\S*)/g)) if (!found.has(match[1]!)) found.set(match[1]!, match[2]!);
  return found;
}

/** "3", "5-9%2", "1,4-6" → the task indices. */
function taskIndices(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split("%")[0]!.split(",")) {
    const [a, b] = part.split("-").map(Number);
    if (!Number.isInteger(a)) continue;
    for (let i = a!; i <= (Number.isInteger(b) ? b! : a!); i++) out.push(i);
  }
  return out;
}

/**
 * The status of every task of a job array that Slurm still knows: `scontrol show job -o` (the controller keeps
 * ended jobs for MinJobAge), else the job-completion file if the cluster writes one (jobcomp/filetxt). Tasks
 * found in neither are missing from the map. No sacct: it needs slurmdbd.
 */
export async function arrayStatus(jobId: string, jobCompFile: string | undefined): Promise<Map<number, TaskStatus>> {
  const status = new Map<number, TaskStatus>();
  const result = await slurmClient("scontrol", ["show", "job", "-o", jobId]);
  if (result.code === 0) {
    for (const line of result.stdout.split("\n")) {
      const f = fields(line);
      if (f.get("ArrayJobId") !== jobId || !f.has("ArrayTaskId") || !f.has("JobState")) continue;
      const state = f.get("JobState")!;
      for (const i of taskIndices(f.get("ArrayTaskId")!)) status.set(i, { state, exitCode: isLive(state) ? undefined : f.get("ExitCode"), reason: f.get("Reason") });
    }
  }
  if (jobCompFile) {
    let text = "";
    try {
      text = readFileSync(jobCompFile, "utf8");
    } catch {
      // Not written yet, or not readable from here.
    }
    for (const line of text.split("\n")) {
      if (!line.includes(`ArrayJobId=${jobId} `)) continue;
      const f = fields(line);
      const i = Number(f.get("ArrayTaskId"));
      if (Number.isInteger(i) && !status.has(i)) status.set(i, { state: f.get("JobState") ?? "UNKNOWN", exitCode: f.get("ExitCode") });
    }
  }
  return status;
}

/** The cluster's job-completion file, when it keeps one (JobCompType=jobcomp/filetxt). */
export async function jobCompFile(): Promise<string | undefined> {
  const result = await slurmClient("scontrol", ["show", "config"]);
  if (result.code !== 0) return undefined;
  const type = /^JobCompType\s*=\s*(\S+)/m.exec(result.stdout)?.[1];
  const loc = /^JobCompLoc\s*=\s*(\S+)/m.exec(result.stdout)?.[1];
  return type === "jobcomp/filetxt" && loc ? loc : undefined;
}
