import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SimlabError } from "../../core/errors.js";
import type { Submission, TaskRun } from "./chunk.js";
import type { SlurmOptions } from "./options.js";
import { slurmClient } from "./slurm-command.js";
import { writeAtomically, type SlurmWorkdir } from "./workdir.js";

/** A submitted job array, as recorded in jobs/<id>.json: which runs each task has. */
export interface JobRecord {
  jobId: string;
  submission: string;
  /** Run keys by array index. */
  tasks: string[][];
}

/** Splits runs into chunks of `size`, one per array task. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Submits one job array whose task i runs `tasks[i]`: writes the submission file and a batch script into the
 * work directory, calls sbatch, and records the job id (so a driver that dies now is resumed by adopting it).
 */
export async function submitArray(dir: SlurmWorkdir, options: SlurmOptions, sweep: string, command: string, content: Omit<Submission, "tasks"> & { tasks: TaskRun[][] }): Promise<JobRecord> {
  const id = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const folder = dir.submission(id);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, "submission.json");
  writeAtomically(file, JSON.stringify(content));
  const script = join(folder, "task.sh");
  // A node runs simlab itself on its chunk; the store is never touched from here.
  writeFileSync(script, `#!/bin/sh\nexec ${command} slurm-task --submission ${shellQuote(file)} --task "$SLURM_ARRAY_TASK_ID"\n`, { mode: 0o755 });

  const n = content.tasks.length;
  const args = [
    "--parsable",
    `--array=0-${n - 1}${options.maxConcurrent ? `%${options.maxConcurrent}` : ""}`,
    `--job-name=simlab-${sweep}`,
    `--output=${join(dir.logs, "%A_%a.log")}`,
    `--cpus-per-task=${options.cpusPerTask}`,
    "--ntasks=1",
    ...(options.timeLimit ? [`--time=${options.timeLimit}`] : []),
    ...(options.partition ? [`--partition=${options.partition}`] : []),
    ...(options.account ? [`--account=${options.account}`] : []),
    ...options.sbatchArgs,
    script,
  ];
  const result = await slurmClient("sbatch", args);
  const jobId = /^(\d+)/.exec(result.stdout.trim())?.[1];
  if (result.code !== 0 || jobId === undefined) {
    const why = (result.stderr || result.stdout).trim().split("\n")[0] ?? "";
    throw new SimlabError(`sbatch refused the job array of sweep '${sweep}': ${why}`, "check backend.slurm (partition, account, timeLimit, sbatchArgs) against `sinfo`");
  }
  const record: JobRecord = { jobId, submission: id, tasks: content.tasks.map((runs) => runs.map((r) => r.key)) };
  writeAtomically(dir.jobFile(jobId), JSON.stringify(record));
  return record;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
