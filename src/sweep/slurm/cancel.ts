import { setTimeout as sleep } from "node:timers/promises";
import { slurmClient } from "./slurm-command.js";

/** How long `cancelArrays` waits for cancelled tasks to leave the queue. */
const LEAVE_QUEUE_MS = 4000;

/**
 * Cancels job arrays (every task, pending or running) with scancel and waits, a few seconds at most, until
 * squeue lists none of them, so an interrupted sweep leaves no job queued.
 */
export async function cancelArrays(jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await slurmClient("scancel", [...jobIds]);
  const deadline = performance.now() + LEAVE_QUEUE_MS;
  while (performance.now() < deadline) {
    const queue = await slurmClient("squeue", ["-h", "-o", "%i", "-j", jobIds.join(",")]);
    if (queue.code !== 0 || queue.stdout.trim() === "") return;
    await sleep(100);
  }
}
