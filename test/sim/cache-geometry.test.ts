import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readCacheGeometry, valgrindCacheArgs } from "../../src/sim/index.js";
import { isSimlabError } from "../../src/core/errors.js";
import { removeScratch, scratch } from "./c-fixtures.js";

async function fakeSysfs(root: string, caches: Array<[number, string, string, number]>): Promise<void> {
  for (const [i, [level, type, size, ways]] of caches.entries()) {
    const dir = join(root, `index${i}`);
    await mkdir(dir, { recursive: true });
    const files = { level: String(level), type, size, ways_of_associativity: String(ways), coherency_line_size: "64" };
    for (const [name, value] of Object.entries(files)) await writeFile(join(dir, name), `${value}\n`);
  }
}

test("cache geometry comes from sysfs: L1i, L1d and the highest level as LL", async () => {
  const root = await scratch();
  try {
    await fakeSysfs(root, [[1, "Data", "48K", 12], [1, "Instruction", "32K", 8], [2, "Unified", "1024K", 16], [3, "Unified", "32M", 16]]);
    const g = readCacheGeometry(root);
    assert.deepEqual(g, { I1: { size: 32768, ways: 8, line: 64 }, D1: { size: 49152, ways: 12, line: 64 }, LL: { size: 32 * 1024 * 1024, ways: 16, line: 64 } });
    assert.deepEqual(valgrindCacheArgs(g), ["--I1=32768,8,64", "--D1=49152,12,64", "--LL=33554432,16,64"]);
    const l2only = join(root, "l2");
    await fakeSysfs(l2only, [[1, "Data", "32K", 8], [1, "Instruction", "32K", 8], [2, "Unified", "512K", 8]]);
    assert.equal(readCacheGeometry(l2only).LL.size, 512 * 1024);
    const partial = join(root, "partial");
    await fakeSysfs(partial, [[1, "Data", "32K", 8]]);
    assert.throws(() => readCacheGeometry(partial), (e) => isSimlabError(e) && /incomplete/.test(e.message));
    assert.throws(() => readCacheGeometry(join(root, "nothing")), (e) => isSimlabError(e) && /geometry/.test(e.hint!));
  } finally {
    await removeScratch(root);
  }
});

test("this host's geometry is readable and plausible", () => {
  const g = readCacheGeometry();
  for (const level of [g.I1, g.D1, g.LL]) {
    assert.ok(level.size >= 4096 && level.ways >= 1 && level.line >= 16);
    assert.ok(Number.isInteger(Math.log2(level.size / level.ways / level.line)), "valgrind needs a power-of-two set count");
  }
  assert.ok(g.LL.size > g.D1.size);
});
