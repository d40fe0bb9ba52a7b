/** The shape of the compiler's startup snapshot (entry.cts builds it, manifest.ts describes what goes in). */
import type * as TS from "@tslab/typescript-for-tslab";

export interface SnapshotFile {
  fileName: string;
  languageVersion: TS.ScriptTarget;
  impliedNodeFormat?: TS.ResolutionMode;
  size: number;
  mtimeMs: number;
}

export interface SnapshotManifest {
  /** tslab's TypeScript fork, evaluated into the snapshot. */
  typescript: string;
  /** buildStamp() when it was written: a blob from another TypeScript or entry script is not used. */
  stamp: string;
  options: TS.CompilerOptions;
  files: SnapshotFile[];
}

/** What entry.cts leaves on globalThis.simlabSnapshot for the process started from the snapshot. */
export interface SnapshotStore {
  ts: typeof TS;
  files: Map<string, TS.SourceFile>;
  manifest: SnapshotManifest;
}

export function snapshotStore(): SnapshotStore | undefined {
  return (globalThis as { simlabSnapshot?: SnapshotStore }).simlabSnapshot;
}

/** Options that differ between kernels (the notebook's folder, emit settings) but change nothing in how a file parses or binds. */
const NOT_FOR_PARSING = new Set(["rootDir", "outDir", "typeRoots", "sourceMap", "declaration", "newLine", "configFilePath"]);

/** The compiler options that parsing and binding read, as a string: equal strings, interchangeable parsed files. */
export function parsingOptionsKey(options: TS.CompilerOptions): string {
  const kept = Object.keys(options)
    .filter((key) => !NOT_FOR_PARSING.has(key) && options[key] !== undefined)
    .sort()
    .map((key) => [key, options[key]]);
  return JSON.stringify(kept);
}
