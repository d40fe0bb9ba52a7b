import { processStartTime as startTime } from "../proc/process-start.js";
import { isPidAlive } from "../proc/pid-alive.js";

/** This process's identity as recorded on the runs it has in flight: "pid:starttime". */
export function ownerId(pid: number = process.pid): string {
  return `${pid}:${startTime(pid) ?? "?"}`;
}

/** Whether the process that recorded `owner` still exists (same pid and same start time). */
export function isOwnerAlive(owner: string): boolean {
  const [pidText, started] = owner.split(":");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || !isPidAlive(pid)) return false;
  const now = startTime(pid);
  return now === undefined || started === "?" || now === started;
}
