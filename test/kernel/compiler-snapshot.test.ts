/**
 * The compiler's startup snapshot, for real: a first compiler (a worker thread) builds the snapshot with
 * `node --build-snapshot` in the background; the next starts as a process from it and answers exactly as the
 * worker did; an unusable blob falls back to the worker; a changed lib file is parsed again, not served stale.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import type * as TS from "@tslab/typescript-for-tslab";
import { CompilerClient } from "../../src/kernel/compile/client.js";
import { CellCompiler } from "../../src/kernel/compile/compiler.js";
import { latest } from "../../src/kernel/compile/light-builder.js";
import { buildStamp, nextManifest, snapshotPaths } from "../../src/kernel/compile/snapshot/manifest.js";
import { withPreparsedFiles } from "../../src/kernel/compile/snapshot/preparsed.js";
import type { SnapshotStore } from "../../src/kernel/compile/snapshot/store.js";
import { loadTypeScript } from "../../src/kernel/compile/typescript-loader.js";

/** Runs `body` with XDG_CACHE_HOME set to a fresh folder (the snapshot lives there), removed afterwards. */
async function withFreshCache(body: (cache: string) => Promise<void>): Promise<void> {
  const cache = mkdtempSync(join(tmpdir(), "simlab-snapshot-"));
  const before = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cache;
  try {
    await body(cache);
  } finally {
    if (before === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = before;
    rmSync(cache, { recursive: true, force: true });
  }
}

/** The same session against either compiler: a typed cell, a committed declaration used later, a type error, completion. */
async function session(compiler: CompilerClient): Promise<unknown[]> {
  const first = await compiler.request("compile", { code: "const scores: number[] = [3, 1, 2];\nscores.reduce((a, b) => a + b, 0)", lineOffset: 0 });
  assert.ok("code" in first, `the typed cell compiles: ${JSON.stringify(first)}`);
  await compiler.request("commit", { declarations: first.declarations });
  const uses = await compiler.request("compile", { code: "const best: number = Math.max(...scores);\nbest", lineOffset: 0 });
  const wrong = await compiler.request("compile", { code: "const name: string = scores[0];", lineOffset: 2 });
  assert.ok("ename" in wrong && /3:7 - Type 'number' is not assignable to type 'string'/.test(wrong.evalue), JSON.stringify(wrong));
  const completion = await compiler.request("complete", { code: "process.versi", cursor: 13 });
  assert.ok(completion.matches.includes("versions"), JSON.stringify(completion));
  return [first, uses, wrong, completion];
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("the first compiler builds a startup snapshot; the next starts from it and answers exactly as the worker did", async () => {
  await withFreshCache(async () => {
    const worker = new CompilerClient();
    assert.equal(worker.kind, "worker", "no snapshot yet: a worker thread");
    const fromWorker = await session(worker);
    const { blob, manifest, lock } = snapshotPaths();
    await until(() => existsSync(blob) && !existsSync(lock), 120_000, "the background snapshot build");
    await worker.close();
    assert.ok(existsSync(manifest));

    const snapshot = new CompilerClient();
    assert.equal(snapshot.kind, "snapshot");
    const fromSnapshot = await session(snapshot);
    assert.equal(snapshot.kind, "snapshot", "the snapshot process stayed up");
    assert.deepEqual(fromSnapshot, fromWorker);
    await snapshot.close();
    assert.ok(!existsSync(lock), "a covered program starts no second build");
  });
});

test("an unusable snapshot blob: the compiler falls back to a worker, loses no request, and marks the blob failed", async () => {
  await withFreshCache(async () => {
    const { blob, manifest, failed } = snapshotPaths();
    mkdirSync(dirname(blob), { recursive: true });
    writeFileSync(blob, "not a snapshot");
    writeFileSync(manifest, JSON.stringify({ typescript: "", stamp: buildStamp(), options: {}, files: [] }));
    const compiler = new CompilerClient();
    assert.equal(compiler.kind, "snapshot");
    const answers = await session(compiler);
    assert.equal(answers.length, 4);
    assert.equal(compiler.kind, "worker");
    assert.ok(existsSync(failed), "the failure is remembered");
    await compiler.close();
    const later = new CompilerClient();
    await later.close();
    assert.equal(later.kind, "worker", "later compilers do not try the failed blob");
  });
});

test("snapshot files are served only while unchanged on disk, and a changed one asks for a new snapshot", async () => {
  const compiler = new CellCompiler();
  compiler.compile("0");
  const program = latest.program!;
  const manifest = nextManifest(program, undefined)!;
  assert.ok(manifest.files.some((f) => f.fileName.endsWith("lib.es5.d.ts")), "the manifest holds TypeScript's libs");
  assert.ok(!manifest.files.some((f) => f.fileName.includes("__prev__") || f.fileName.includes("__tslab__")), "not tslab's virtual cell files");
  assert.equal(nextManifest(program, manifest), undefined, "a snapshot built from this manifest covers the program");

  // A lib file of our own, described as the snapshot would have it, then touched.
  const dir = mkdtempSync(join(tmpdir(), "simlab-preparsed-"));
  try {
    const ts = loadTypeScript();
    const fileName = join(dir, "extra.d.ts");
    writeFileSync(fileName, "declare const extra: number;\n");
    const parsed = ts.createSourceFile(fileName, "declare const extra: number;\n", ts.ScriptTarget.ES2022);
    const { size, mtimeMs } = statSync(fileName);
    const options = program.getCompilerOptions();
    const store: SnapshotStore = { ts, files: new Map([[fileName, parsed]]), manifest: { typescript: "", stamp: "", options, files: [{ fileName, languageVersion: ts.ScriptTarget.ES2022, size, mtimeMs }] } };
    const fromDisk = {} as TS.SourceFile;
    const host = { getSourceFile: () => fromDisk } as unknown as TS.CompilerHost;
    (globalThis as { simlabSnapshot?: SnapshotStore }).simlabSnapshot = store;
    try {
      assert.equal(withPreparsedFiles(host, options).getSourceFile(fileName, ts.ScriptTarget.ES2022, undefined), parsed, "served from the snapshot");
      assert.equal(withPreparsedFiles(host, { ...options, rootDir: join(dir, "elsewhere") }).getSourceFile(fileName, ts.ScriptTarget.ES2022, undefined), parsed, "a notebook in another folder is served too");
      assert.equal(withPreparsedFiles(host, options).getSourceFile(fileName, ts.ScriptTarget.ES5, undefined), fromDisk, "another language version is parsed anew");
      assert.equal(withPreparsedFiles(host, { ...options, strict: !options.strict }).getSourceFile(fileName, ts.ScriptTarget.ES2022, undefined), fromDisk, "other options: nothing is served");
      utimesSync(fileName, new Date(), new Date(mtimeMs + 5000));
      const touched = join(dir, "touched.d.ts"); // a second name: validity is checked once per file per process
      writeFileSync(touched, "declare const extra: number;\n");
      store.manifest.files.push({ fileName: touched, languageVersion: ts.ScriptTarget.ES2022, size, mtimeMs: mtimeMs - 5000 });
      store.files.set(touched, parsed);
      assert.equal(withPreparsedFiles(host, options).getSourceFile(touched, ts.ScriptTarget.ES2022, undefined), fromDisk, "a file changed on disk is parsed anew");
    } finally {
      delete (globalThis as { simlabSnapshot?: SnapshotStore }).simlabSnapshot;
    }
    const stale = { ...manifest, files: manifest.files.map((f, i) => (i === 0 ? { ...f, mtimeMs: f.mtimeMs - 1 } : f)) };
    assert.ok(nextManifest(program, stale), "a changed lib file asks for a new snapshot");
  } finally {
    rmSync(dir, { recursive: true, force: true });
    compiler.close();
  }
});
