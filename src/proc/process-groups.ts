import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processStartTime } from "./process-start.js";

/**
 * Every child simlab starts runs in its own process group (spawned detached), so killing the group also
 * kills anything it forked. Live groups are remembered so that a normal exit of simlab kills them too, and
 * written to journals (a sweep keeps one in its scratch folder) so that the groups of a simlab killed with
 * SIGKILL — whose grandchildren the kernel's parent-death signal does not reach — can be found and ended.
 */
const liveGroups = new Set<number>();
const journals = new Set<string>();
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
  const started = processStartTime(pgid) ?? "?";
  for (const dir of journals) {
    try {
      writeFileSync(join(dir, String(pgid)), started);
    } catch {
      // A journal removed meanwhile: its sweep has ended.
    }
  }
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
  for (const dir of journals) rmSync(join(dir, String(pgid)), { force: true });
}

/** Records every group started from now on in `dir` (one file per group: its leader's start time) until the returned stop is called. */
export function journalGroupsIn(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  journals.add(dir);
  return () => journals.delete(dir);
}

/**
 * Kills the groups a journal lists that still exist and are the same groups: the leader alive with the
 * recorded start time, or the leader gone but members left (Linux does not reuse a pid while a group of
 * that id exists, so such a group is the recorded one). Returns how many groups were killed.
 */
export function killJournaledGroups(dir: string): number {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const entry of entries) {
    const pgid = Number(entry);
    let recorded: string;
    try {
      recorded = readFileSync(join(dir, entry), "utf8");
    } catch {
      continue;
    }
    const leader = processStartTime(pgid);
    const same = leader === undefined ? isGroupAlive(pgid) : leader === recorded;
    if (same && isGroupAlive(pgid)) {
      killGroup(pgid);
      killed++;
    }
  }
  return killed;
}
