import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * The layering of src/, lowest first: a folder may import its own layer and the ones below, never one above.
 * core is the ground floor (contracts, errors, random, suggestions); cli and the package's index sit on top.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["core"],
  ["args", "display", "proc"],
  ["sim", "workloads", "store"],
  ["sweep"],
  ["data"],
  ["predict"],
  ["plot"],
  ["tune"],
  ["magics"],
  ["kernel"],
  ["notebook"],
  ["cli", "index.ts"],
];

const root = join(dirname(fileURLToPath(import.meta.url)), "../../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Relative imports of a file (static, dynamic and re-exports), as paths of .ts files under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.filter((s) => s.endsWith(".js")).map((s) => normalize(join(dirname(file), s.replace(/\.js$/, ".ts"))));
}

function layerOf(file: string): number {
  const top = relative(root, file).split("/")[0]!;
  const layer = LAYERS.findIndex((names) => names.includes(top));
  assert.notEqual(layer, -1, `src/${top} is in no layer of test/layout/imports.test.ts: add it where it belongs`);
  return layer;
}

const files = sourceFiles(root);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));

test("no file imports from a higher layer", () => {
  const upward: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (layerOf(to) > layerOf(from)) upward.push(`${relative(root, from)} -> ${relative(root, to)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("the import graph of src/ has no cycle", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(cycles, []);
});

test("the layer test sees the whole tree", () => {
  // Guards the walker itself: a broken glob would make the two tests above pass vacuously.
  assert.ok(files.length > 100, `only ${files.length} files found under ${root}`);
  assert.ok([...graph.values()].some((targets) => targets.length > 3));
});
