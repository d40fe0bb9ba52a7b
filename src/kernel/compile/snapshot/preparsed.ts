/**
 * Serves the startup snapshot's parsed and bound lib and @types files to a program, in place of parsing them again,
 * where they are what the program would parse: the same file unchanged on disk (size and mtime), the same language
 * version and module format, and the compiler options that parsing and binding read equal to those they were bound with.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { overlayHost } from "../host-overlay.js";
import { unchanged } from "./manifest.js";
import { parsingOptionsKey, snapshotStore } from "./store.js";

/** Per file name: the snapshot's file when still valid, else null (checked once per process). */
const valid = new Map<string, TS.SourceFile | null>();

function preparsed(fileName: string, wanted: TS.ScriptTarget | TS.CreateSourceFileOptions): TS.SourceFile | undefined {
  const store = snapshotStore()!;
  let file = valid.get(fileName);
  if (file === undefined) {
    const entry = store.manifest.files.find((f) => f.fileName === fileName);
    file = (entry && unchanged(entry) && store.files.get(fileName)) || null;
    valid.set(fileName, file);
  }
  if (!file) return undefined;
  const { languageVersion, impliedNodeFormat } = typeof wanted === "object" ? wanted : { languageVersion: wanted, impliedNodeFormat: undefined };
  return file.languageVersion === languageVersion && file.impliedNodeFormat === impliedNodeFormat ? file : undefined;
}

const sameOptions = new WeakMap<TS.CompilerOptions, boolean>();

/** `host`, answering from the snapshot where it can; `host` itself when the process did not start from one. */
export function withPreparsedFiles(host: TS.CompilerHost, options: TS.CompilerOptions): TS.CompilerHost {
  const store = snapshotStore();
  if (!store) return host;
  let same = sameOptions.get(options);
  if (same === undefined) {
    same = parsingOptionsKey(store.manifest.options) === parsingOptionsKey(options);
    sameOptions.set(options, same);
  }
  return same ? overlayHost(host, preparsed) : host;
}
