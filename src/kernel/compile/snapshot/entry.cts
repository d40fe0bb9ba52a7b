/**
 * The compiler's startup snapshot, built by `node --build-snapshot` (see build.ts): tslab's TypeScript with the
 * lib and @types files of the last program already parsed and bound, so a kernel started from the snapshot skips
 * the second or so that parsing them takes. At build time only Node's built-in modules can be required, so
 * TypeScript (which requires nothing else) is evaluated from its file's text; after deserialization the main
 * function requires compiler-process.js, which serves the compiler's requests over the IPC channel.
 * Usage: node --snapshot-blob BLOB --build-snapshot entry.cjs MANIFEST
 */
// A script, not a module: Node runs this file with only `require`, `__filename` and `__dirname` defined (a module's
// compiled output would write to `exports`). The block keeps its names (types too) out of the global scope.
{
  type TS = typeof import("@tslab/typescript-for-tslab");
  type CompilerOptions = import("@tslab/typescript-for-tslab").CompilerOptions;
  type SourceFile = import("@tslab/typescript-for-tslab").SourceFile;

  /** store.ts's SnapshotManifest, as far as this file reads it (a CommonJS file cannot import an ES module's types). */
  interface Manifest {
    typescript: string;
    options: CompilerOptions;
    files: { fileName: string; languageVersion: import("@tslab/typescript-for-tslab").ScriptTarget; impliedNodeFormat?: import("@tslab/typescript-for-tslab").ResolutionMode }[];
  }

  /** Exercises what notebook cells use: annotations, generics, closures, classes, template strings, async. */
  const SAMPLE_CELL = `
  interface Row { name: string; ms: number }
  const rows: Row[] = [{ name: "a", ms: 1.5 }, { name: "b", ms: 2 }];
  const fastest = rows.reduce((best, row) => (row.ms < best.ms ? row : best), rows[0]!);
  const byName = new Map(rows.map((row) => [row.name, row] as const));
  class Timer { private start = Date.now(); elapsed(): number { return Date.now() - this.start; } }
  async function later<T>(value: T): Promise<T> { return value; }
  export const summary = \`\${fastest.name}: \${byName.size} rows, \${new Timer().elapsed()} ms\`;
  export const doubled = await later(rows.map(({ ms }) => ms * 2));
  `;

  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  /** Node ≥ 18.20's API for the snapshot's main function (missing from this @types/node). */
  const { startupSnapshot } = require("node:v8") as { startupSnapshot: { setDeserializeMainFunction(main: () => void): void } };

  const manifestPath = process.argv[2];
  if (!manifestPath) throw new Error("usage: node --snapshot-blob BLOB --build-snapshot entry.cjs MANIFEST");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as Manifest;

  const tsModule = { exports: {} as TS };
  const evaluate = new Function("exports", "require", "module", "__filename", "__dirname", fs.readFileSync(manifest.typescript, "utf8"));
  evaluate(tsModule.exports, require, tsModule, manifest.typescript, path.dirname(manifest.typescript));
  const ts = tsModule.exports as TS & {
    bindSourceFile(file: SourceFile, options: CompilerOptions): void;
    getSetExternalModuleIndicator(options: CompilerOptions): (file: SourceFile) => void;
  };

  const files = new Map<string, SourceFile>();
  const setExternalModuleIndicator = ts.getSetExternalModuleIndicator(manifest.options);
  for (const entry of manifest.files) {
    const text = fs.readFileSync(entry.fileName, "utf8");
    const file = ts.createSourceFile(entry.fileName, text, { languageVersion: entry.languageVersion, impliedNodeFormat: entry.impliedNodeFormat, setExternalModuleIndicator });
    ts.bindSourceFile(file, manifest.options);
    files.set(entry.fileName, file);
  }
  // A throwaway program over those files and a sample cell, type-checked and emitted, so the checker's and emitter's
  // functions are compiled before the snapshot is taken (V8 keeps their bytecode in it). The files' own state after
  // it is what any program leaves: the kernel's programs do the same to them cell after cell.
  const sampleName = "/__simlab_warm_up__.ts";
  const sample = ts.createSourceFile(sampleName, SAMPLE_CELL, { languageVersion: manifest.options.target ?? ts.ScriptTarget.Latest, setExternalModuleIndicator });
  const host: import("@tslab/typescript-for-tslab").CompilerHost = {
    getSourceFile: (name) => (name === sampleName ? sample : files.get(name)),
    fileExists: (name) => name === sampleName || files.has(name),
    readFile: () => undefined,
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };
  const warmUp = ts.createProgram({ rootNames: [...files.keys(), sampleName], options: { ...manifest.options, noLib: true, noResolve: true, types: [] }, host });
  warmUp.getSemanticDiagnostics(sample);
  warmUp.emit(sample, () => {});

  // store.ts's snapshotStore() finds them here.
  (globalThis as { simlabSnapshot?: unknown }).simlabSnapshot = { ts, files, manifest };

  const compilerProcess = path.join(__dirname, "..", "compiler-process.js");
  startupSnapshot.setDeserializeMainFunction(() => {
    // node:module is required only now: Node warns that it may not survive a snapshot.
    const { createRequire } = require("node:module") as typeof import("node:module");
    createRequire(compilerProcess)(compilerProcess);
  });
}
