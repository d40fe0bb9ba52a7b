import { isPidAlive } from "../../proc/pid-alive.js";

/** Ends the kernel when the process that started it is gone (JPY_PARENT_PID, else the original parent). */

export function watchParent(onGone: () => void, intervalMs = 500): NodeJS.Timeout | undefined {
  const fromEnv = Number(process.env.JPY_PARENT_PID);
  const parent = Number.isInteger(fromEnv) && fromEnv > 1 ? fromEnv : process.ppid;
  if (parent <= 1) return undefined;
  const originalPpid = process.ppid;
  const timer = setInterval(() => {
    // Reparenting (to init or a subreaper) also means our parent died.
    if (!isPidAlive(parent) || (parent === originalPpid && process.ppid !== originalPpid)) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}
