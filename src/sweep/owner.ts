import { readFileSync } from "node:fs";
import { isPidAlive } from "../proc/pid-alive.js";

/** The start time of a process (clock ticks since boot), which tells a live process from a reused pid. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'; starttime is field 22.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

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
