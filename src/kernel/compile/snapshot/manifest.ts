/**
 * What the compiler's startup snapshot holds (entry.cts) and where it lives: per Node binary, a blob in
 * ~/.cache/simlab/compiler-snapshot (or $XDG_CACHE_HOME/…) beside the manifest it was built from — the lib and
 * @types files of a kernel's program, each with the size and mtime it had, the compiler options they were parsed
 * and bound with, and the stamp of the TypeScript and entry script that built it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "@tslab/typescript-for-tslab";
import { simlabCacheDirectory, typescriptPath } from "../typescript-loader.js";
import { type SnapshotFile, type SnapshotManifest, parsingOptionsKey } from "./store.js";

/** entry.cjs, compiled beside this file. */
export const entryPath = join(dirname(fileURLToPath(import.meta.url)), "entry.cjs");

export interface SnapshotPaths {
  blob: string;
  /** The manifest the blob was built from (renamed into place after the blob). */
  manifest: string;
  /** The manifest of the build under way. */
  next: string;
  lock: string;
  /** The manifest of a build that failed: not retried while its stamp is current. */
  failed: string;
}

/**
 * One slot per Node binary (Node 20 and 24 keep theirs side by side); a rebuild for a changed TypeScript fork or
 * entry script replaces the slot's blob, so old blobs do not pile up.
 */
export function snapshotPaths(): SnapshotPaths {
  const slot = createHash("sha256").update([process.execPath, process.version, process.arch].join("\0")).digest("hex").slice(0, 16);
  const base = join(simlabCacheDirectory(), "compiler-snapshot", slot);
  return { blob: `${base}.blob`, manifest: `${base}.json`, next: `${base}.next.json`, lock: `${base}.lock`, failed: `${base}.failed.json` };
}

/** What a blob is built with besides the manifest's files: TypeScript's and the entry script's size and mtime. */
export function buildStamp(): string {
  return [typescriptPath, entryPath]
    .map((path) => {
      const { size, mtimeMs } = statSync(path);
      return `${path}:${size}:${mtimeMs}`;
    })
    .join(" ");
}

/** The manifest of the slot's blob if it was built by the current TypeScript and entry script. */
export function currentManifest(paths: SnapshotPaths): SnapshotManifest | undefined {
  const manifest = existsSync(paths.blob) ? readManifest(paths.manifest) : undefined;
  return manifest?.stamp === buildStamp() ? manifest : undefined;
}

/** Whether a build with the current TypeScript and entry script failed before. */
export function buildFailed(paths: SnapshotPaths): boolean {
  return readManifest(paths.failed)?.stamp === buildStamp();
}

/** Whether the file on disk is still the one described (same size and mtime). */
export function unchanged(entry: SnapshotFile): boolean {
  try {
    const { size, mtimeMs } = statSync(entry.fileName);
    return size === entry.size && mtimeMs === entry.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * The declaration files of `program` that are plain files on disk (not tslab's virtual cell files), described. Those
 * in `known` (already checked unchanged) are taken from it; only the others are read to compare their text.
 */
function programFiles(program: TS.Program, known: Map<string, SnapshotFile>): SnapshotFile[] {
  const files: SnapshotFile[] = [];
  for (const file of program.getSourceFiles()) {
    if (!file.isDeclarationFile) continue;
    const entry = known.get(file.fileName);
    if (entry) {
      files.push(entry);
      continue;
    }
    try {
      if (readFileSync(file.fileName, "utf8") !== file.text) continue;
      const { size, mtimeMs } = statSync(file.fileName);
      files.push({ fileName: file.fileName, languageVersion: file.languageVersion, ...(file.impliedNodeFormat === undefined ? {} : { impliedNodeFormat: file.impliedNodeFormat }), size, mtimeMs });
    } catch {
      // not a file on disk
    }
  }
  return files;
}

export function readManifest(path: string): SnapshotManifest | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SnapshotManifest;
  } catch {
    return undefined;
  }
}

/**
 * The manifest a snapshot should be built from after `program`: its files plus those of `previous` still unchanged
 * on disk (so kernels in folders with different @types do not rebuild it in turn), or undefined when `previous`
 * already covers the program with the same options.
 */
export function nextManifest(program: TS.Program, previous: SnapshotManifest | undefined): SnapshotManifest | undefined {
  const options = JSON.parse(JSON.stringify(program.getCompilerOptions())) as TS.CompilerOptions;
  const sameOptions = previous !== undefined && parsingOptionsKey(previous.options) === parsingOptionsKey(options);
  const kept = new Map(sameOptions ? previous.files.filter(unchanged).map((f) => [f.fileName, f]) : []);
  const current = programFiles(program, kept);
  const covered = sameOptions && kept.size === previous.files.length && current.every((f) => kept.has(f.fileName));
  if (covered) return undefined;
  for (const file of current) kept.set(file.fileName, file);
  return { typescript: typescriptPath, stamp: buildStamp(), options, files: [...kept.values()] };
}
