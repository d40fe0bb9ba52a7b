/**
 * Every child simlab starts runs in its own process group (spawned detached), so killing the group also
 * kills anything it forked. Live groups are remembered so that a normal exit of simlab kills them too.
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function killGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const group of liveGroups) killGroup(group);
    });
  }
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}
