/**
 * Builds the compiler's startup snapshot in the background when the program a kernel just built is not covered by
 * the snapshot on disk: writes the manifest and starts `node --build-snapshot entry.cjs` detached and at low
 * priority (it takes a few seconds, and the next kernel launch profits). A lock file keeps kernels started together
 * from building twice; a failed build keeps its manifest aside so it is not retried until TypeScript or simlab changes.
 * SIMLAB_COMPILER_SNAPSHOT=0 turns snapshots off.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";
import { buildFailed, currentManifest, entryPath, nextManifest, snapshotPaths } from "./manifest.js";

export const snapshotsEnabled = () => process.env.SIMLAB_COMPILER_SNAPSHOT !== "0";

/** A lock older than this belongs to a builder that died. */
const STALE_LOCK_MS = 10 * 60_000;

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, "wx"));
      return true;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
        unlinkSync(lock);
      } catch {
        return false;
      }
    }
  }
  return false;
}

// $0 node, $1 blob, $2 entry, $3 next manifest, $4 manifest, $5 failed manifest, $6 lock. The blob goes into place
// before its manifest: between the two renames the old manifest's stamp keeps kernels off the new blob.
const BUILD =
  'nice -n 19 "$0" --snapshot-blob "$1.partial" --build-snapshot "$2" "$3" && mv -f "$1.partial" "$1" && mv -f "$3" "$4" || { rm -f "$1.partial"; mv -f "$3" "$5"; }; rm -f "$6"';

/** Starts a snapshot build for `program` if the snapshot on disk does not cover it; returns whether one started. */
export function refreshSnapshot(program: TS.Program | undefined): boolean {
  if (!program || !snapshotsEnabled()) return false;
  try {
    const paths = snapshotPaths();
    if (buildFailed(paths)) return false;
    const manifest = nextManifest(program, currentManifest(paths));
    if (!manifest) return false;
    mkdirSync(dirname(paths.blob), { recursive: true });
    if (!takeLock(paths.lock)) return false;
    writeFileSync(paths.next, JSON.stringify(manifest));
    const builder = spawn("/bin/sh", ["-c", BUILD, process.execPath, paths.blob, entryPath, paths.next, paths.manifest, paths.failed, paths.lock], { detached: true, stdio: "ignore" });
    builder.on("error", () => {}); // no /bin/sh: no snapshot, nothing else changes
    builder.unref();
    return true;
  } catch {
    return false; // an unwritable cache: kernels start as without a snapshot
  }
}
