import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { journalGroupsIn, killJournaledGroups } from "../proc/process-groups.js";
import { isPidAlive } from "../proc/pid-alive.js";

/**
 * Every sweep builds and runs inside its own scratch folder, /tmp/simlab-sweep-<pid>-XXXXXX. Every child
 * (gcc, valgrind, the variant) names a path inside it on its command line, which is how processes left
 * behind by a sweep that was killed with SIGKILL are found and ended (`reapOrphans`), and how an
 * interrupted sweep makes sure nothing it started survives it (`killProcessesUnder`). Children of those
 * children need not mention the folder: every process group started meanwhile is journaled in `groups/`.
 */
const PREFIX = "simlab-sweep-";
const GROUPS = "groups";

/** A new scratch folder, journaling the process groups started until `removeWorkRoot`. */
export function createWorkRoot(): string {
  const root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  stopJournals.set(root, journalGroupsIn(join(root, GROUPS)));
  return root;
}

const stopJournals = new Map<string, () => void>();

function processesMentioning(test: (cmdline: string) => boolean): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return []; // Not Linux: nothing to scan.
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (test(readFileSync(`/proc/${entry}/cmdline`, "utf8"))) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function kill(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // Not a group leader, or already gone.
    }
  }
}

/** SIGKILLs every process (and its group) whose command line mentions `root`. Returns how many. */
export function killProcessesUnder(root: string): number {
  const pids = processesMentioning((cmdline) => cmdline.includes(root));
  pids.forEach(kill);
  return pids.length + killJournaledGroups(join(root, GROUPS));
}

/** Ends the processes and removes the scratch folders of sweeps whose process no longer exists. */
export function reapOrphans(): number {
  const dead = (pid: number) => pid !== process.pid && !isPidAlive(pid);
  const pattern = new RegExp(`/${PREFIX}(\\d+)-`);
  const pids = processesMentioning((cmdline) => {
    const match = pattern.exec(cmdline);
    return match !== null && dead(Number(match[1]));
  });
  pids.forEach(kill);
  let entries: string[] = [];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    // A temporary folder we cannot list: nothing to reap.
  }
  let groups = 0;
  for (const entry of entries) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(entry);
    if (!match || !dead(Number(match[1]))) continue;
    groups += killJournaledGroups(join(tmpdir(), entry, GROUPS));
    try {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    } catch {
      // Another process reaping it at the same time, or not ours to remove: the next folder still gets its turn.
    }
  }
  return pids.length + groups;
}

export function removeWorkRoot(root: string): void {
  stopJournals.get(root)?.();
  stopJournals.delete(root);
  rmSync(root, { recursive: true, force: true });
}
