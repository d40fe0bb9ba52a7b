/**
 * tslab's converter, loaded from tslab's own file but with a lighter program behind it.
 *
 * tslab's converter keeps an incremental *builder* program: every rebuild (two per cell) recomputes the builder's
 * reference map and file hashes over all ~150 lib and @types files, though the converter only asks it for a source
 * file, the program, an emit and a file's dependencies. `createLightBuilder` answers those from a plain program
 * that reuses the previous one (unchanged files are not parsed again). TypeScript's namespace cannot be patched in
 * place (its exports are getters), so converter.js is evaluated with a `require` that hands it a view of
 * TypeScript whose `createWatchCompilerHost` passes our program factory and whose `transpileModule` (tslab's
 * ESM → CommonJS step) takes a shortcut for cells that import nothing (fast-commonjs.ts).
 *
 * One edit to converter.js's text (oneRebuildPerCell): tslab builds the program once to learn the names a cell
 * declares, then again with `export { those names }` appended. The names come from binding the cell alone (the
 * binder's `locals` of a file depend on its text only), so one build per cell is enough.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname } from "node:path";
import vm from "node:vm";
import type * as TS from "@tslab/typescript-for-tslab";
import type * as Converter from "tslab/dist/converter.js";
import { trivialModuleToCommonJs } from "./fast-commonjs.js";
import { PRELUDE_FILE, withPrelude } from "./prelude.js";
import { withPreparsedFiles } from "./snapshot/preparsed.js";
import { tslabRequire } from "./typescript-loader.js";

/**
 * Source maps of the last cell's two emit steps: tslab's TypeScript → ES module (`esm`) and the ES module → CommonJS
 * step (`cjs`; null when the line-preserving shortcut ran). compiler.ts composes them into line tables.
 */
export const lastSourceMaps: { esm?: string; cjs?: string | null } = {};

/** The last program built (its files describe what a startup snapshot should hold). */
export const latest: { program?: TS.Program } = {};

/** tslab's emitted cell (its source is __tslab__.ts). */
const CELL_MAP = /__tslab__\.js\.map$/;

type LightBuilder = Pick<
  TS.BuilderProgram,
  | "getProgram"
  | "getCompilerOptions"
  | "getSourceFile"
  | "getSourceFiles"
  | "getOptionsDiagnostics"
  | "getGlobalDiagnostics"
  | "getConfigFileParsingDiagnostics"
  | "getSyntacticDiagnostics"
  | "getDeclarationDiagnostics"
  | "getSemanticDiagnostics"
  | "getAllDependencies"
  | "emit"
  | "getCurrentDirectory"
> & { getProgramOrUndefined(): TS.Program; releaseProgram(): void };

interface ModuleResolutions {
  resolvedModules?: { forEach(callback: (resolution: { resolvedModule?: TS.ResolvedModuleFull }) => void): void };
}

/** The files `file` depends on through imports of non-declaration files (tslab converts those too). */
function dependencies(program: TS.Program, file: TS.SourceFile): string[] {
  const seen = new Set<string>([file.fileName]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.pop()!;
    (current as unknown as ModuleResolutions).resolvedModules?.forEach(({ resolvedModule }) => {
      const name = resolvedModule?.resolvedFileName;
      if (!name || seen.has(name) || name.endsWith(".d.ts")) return;
      seen.add(name);
      const next = program.getSourceFile(name);
      if (next) queue.push(next);
    });
  }
  return [...seen];
}

type Binder = { bindSourceFile(file: TS.SourceFile, options: TS.CompilerOptions): void };

function createLightBuilderFactory(typescript: typeof TS) {
  const ts = typescript as typeof TS & Binder;
  return (
    rootNames: readonly string[] | undefined,
    options: TS.CompilerOptions | undefined,
    host: TS.CompilerHost | undefined,
    old: LightBuilder | undefined,
    configFileParsingDiagnostics?: readonly TS.Diagnostic[],
    projectReferences?: readonly TS.ProjectReference[],
  ): LightBuilder => {
    const programOptions = options ?? old!.getCompilerOptions();
    const program = ts.createProgram({
      rootNames: [...(rootNames ?? []), PRELUDE_FILE],
      options: programOptions,
      host: host && withPrelude(ts, withPreparsedFiles(host, programOptions)),
      oldProgram: old?.getProgram(),
      configFileParsingDiagnostics,
      projectReferences,
    });
    latest.program = program;
    return {
      getProgram: () => program,
      getProgramOrUndefined: () => program,
      releaseProgram: () => {},
      getCompilerOptions: () => program.getCompilerOptions(),
      getSourceFile: (name) => {
        // The converter reads a file's `locals` and parent pointers, which exist once the file is bound (the
        // incremental builder bound every file as a side effect; binding twice is a no-op).
        const file = program.getSourceFile(name);
        if (file) ts.bindSourceFile(file, program.getCompilerOptions());
        return file;
      },
      getSourceFiles: () => program.getSourceFiles(),
      getOptionsDiagnostics: (token) => program.getOptionsDiagnostics(token),
      getGlobalDiagnostics: (token) => program.getGlobalDiagnostics(token),
      getConfigFileParsingDiagnostics: () => program.getConfigFileParsingDiagnostics(),
      getSyntacticDiagnostics: (file, token) => program.getSyntacticDiagnostics(file, token),
      getDeclarationDiagnostics: (file, token) => program.getDeclarationDiagnostics(file, token),
      getSemanticDiagnostics: (file, token) => program.getSemanticDiagnostics(file, token),
      getAllDependencies: (file) => dependencies(program, file),
      emit: (file, writeFile, token, emitOnlyDts, transformers) =>
        program.emit(
          file,
          (name, data, ...rest) => {
            if (name.endsWith(".map")) {
              if (CELL_MAP.test(name)) lastSourceMaps.esm = data;
              return; // tslab has no use for maps
            }
            writeFile?.(name, data, ...rest);
          },
          token,
          emitOnlyDts,
          transformers,
        ),
      getCurrentDirectory: () => program.getCurrentDirectory(),
    };
  };
}

/** tslab's converter module, evaluated against `ts` with the light builder in place of the incremental one. */
export function loadLightConverter(ts: typeof TS): typeof Converter {
  const file = tslabRequire.resolve("tslab/dist/converter.js");
  const createProgram = createLightBuilderFactory(ts);
  const createWatchCompilerHost = ((...args: Parameters<typeof ts.createWatchCompilerHost>) => {
    const [rootFiles, options, system, , reportDiagnostic, reportWatchStatus] = args as unknown as [
      string[],
      TS.CompilerOptions,
      TS.System,
      unknown,
      TS.DiagnosticReporter,
      TS.WatchStatusReporter,
    ];
    // Source maps let tracebacks name the TypeScript line (see source-lines.ts).
    return ts.createWatchCompilerHost(rootFiles, { ...options, sourceMap: true }, system, createProgram as unknown as TS.CreateProgram<TS.BuilderProgram>, reportDiagnostic, reportWatchStatus);
  }) as typeof ts.createWatchCompilerHost;
  const transpileModule = ((input: string, options: TS.TranspileOptions) => {
    const fast = trivialModuleToCommonJs(ts, input);
    if (fast !== undefined) {
      lastSourceMaps.cjs = null;
      return { outputText: fast, diagnostics: [] };
    }
    const out = ts.transpileModule(input, { ...options, compilerOptions: { ...options.compilerOptions, sourceMap: true } });
    lastSourceMaps.cjs = out.sourceMapText ?? null;
    return out;
  }) as typeof ts.transpileModule;
  const overrides: Partial<typeof TS> = { createWatchCompilerHost, transpileModule };
  const view = new Proxy(ts, {
    get: (target, key, receiver) => (key in overrides ? overrides[key as keyof typeof overrides] : Reflect.get(target, key, receiver)),
  });
  const requireForConverter = createRequire(file);
  const module = new Module(file);
  module.filename = file;
  const wrapper = vm.runInThisContext(Module.wrap(oneRebuildPerCell(readFileSync(file, "utf8"))), { filename: file }) as (
    exports: object,
    require: (id: string) => unknown,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  const load = (id: string) => (id === "@tslab/typescript-for-tslab" ? view : requireForConverter(id));
  wrapper.call(module.exports, module.exports, load, module, file, dirname(file));
  return module.exports as typeof Converter;
}

/** tslab's first build of each cell, which only finds the cell's top-level names (see the file comment). */
const TWO_BUILDS = /(function convert\(prevDecl, src\) \{\n)\s*updateContent\(prevDecl, src\);\n\s*let declsFile = builder\.getSourceFile\(declFilename\);\n\s*let srcFile = builder\.getSourceFile\(srcFilename\);\n\s*const locals = srcFile\.locals;\n/;

/**
 * converter.js with the names of a cell taken from the cell bound on its own (same file name, text and target as in
 * the program) instead of from a program built for that purpose. The code after it still appends the export list
 * and rebuilds, now the only build; a cell that declares nothing is built once, as before.
 */
export function oneRebuildPerCell(source: string): string {
  if (!TWO_BUILDS.test(source)) throw new Error("tslab's converter.js changed: its convert() no longer starts as light-builder.ts expects");
  return source.replace(
    TWO_BUILDS,
    (_, head: string) =>
      head +
      "        const cellAlone = ts.createSourceFile(srcFilename, srcPrefix + src, transpileTarget, false);\n" +
      "        ts.bindSourceFile(cellAlone, { target: transpileTarget });\n" +
      "        const locals = cellAlone.locals;\n" +
      "        let declsFile, srcFile;\n" +
      "        if (!locals || locals.size === 0) { updateContent(prevDecl, src); declsFile = builder.getSourceFile(declFilename); srcFile = builder.getSourceFile(srcFilename); }\n",
  );
}
