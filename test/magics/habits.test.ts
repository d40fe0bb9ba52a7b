/** The library functions behind %timeit, %whos, %ls and %pwd, and their argument errors. */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { inColumns, listDirectory } from "../../src/magics/files.js";
import { runMagic } from "../../src/magics/registry.js";
import { formatTimeit, timeitResult } from "../../src/magics/timeit.js";
import { formatWhos, signatureOf, typeName, valueSummary } from "../../src/magics/workspace.js";
import { recordingContext } from "./context.js";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "simlab-habits-")));
after(() => rmSync(scratch, { recursive: true, force: true }));

const part = (cell: string) => splitCell(cell)[0] as MagicPart;
const simlabError = (pattern: RegExp) => (e: unknown) => isSimlabError(e) && pattern.test(e.message);

test("timeit results: mean, population std. dev. and IPython's line", () => {
  const r = timeitResult(1000, [1, 2, 3]);
  assert.equal(r.mean, 2);
  assert.ok(Math.abs(r.stdev - Math.sqrt(2 / 3)) < 1e-12);
  assert.equal(r.best, 1);
  assert.equal(formatTimeit(r), "2.00 ms ± 816 µs per loop (mean ± std. dev. of 3 runs, 1,000 loops each)");
  assert.equal(formatTimeit(timeitResult(1, [1500])), "1.50 s per loop (mean of 1 run, 1 loop each)");
});

test("%timeit runs the statement in a compiled loop; bad counts are one clear error", async () => {
  let calls = 0;
  // runCode compiles TypeScript in the kernel; here a stand-in returns the timing function the source describes.
  const { ctx, stdout } = recordingContext({
    runCode: async (code) => {
      assert.match(code, /for \(let __simlab_i = 0; __simlab_i < __simlab_n; __simlab_i\+\+\) \{\nwork\(\)\n\}/);
      return (n: number) => {
        calls += n;
        return n * 0.5;
      };
    },
  });
  await runMagic(part("%timeit -r 3 work()"), ctx);
  assert.match(stdout(), /^500 µs ± 0\.00 µs per loop \(mean ± std\. dev\. of 3 runs, 500 loops each\)\n$/);
  assert.equal(calls, 1 + 2 + 5 + 10 + 20 + 50 + 100 + 200 + 500 + 3 * 500, "loops grow 1, 2, 5, … until a run takes 0.2 s");
  await assert.rejects(runMagic(part("%timeit -n 0 work()"), ctx), simlabError(/--number must be at least 1/));
  await assert.rejects(runMagic(part("%%timeit\n  "), ctx), simlabError(/nothing to time/));
});

test("%whos describes values: types, sizes, signatures", () => {
  assert.equal(typeName(1), "number");
  assert.equal(typeName(null), "null");
  assert.equal(typeName([1]), "Array");
  assert.equal(typeName(new Map()), "Map");
  assert.equal(typeName(class Foo {}), "class");
  assert.equal(typeName(() => 1), "function");
  assert.equal(typeName(Object.create(null)), "Object");
  function addUp(a: number, b: number) {
    return a + b;
  }
  assert.equal(signatureOf(addUp), "addUp(a, b)");
  assert.equal(signatureOf((x: number) => x), "(anonymous)(x)");
  assert.equal(valueSummary(new Float32Array(3)), "length 3");
  assert.equal(valueSummary(new Set([1, 2])), "size 2");
  assert.equal(valueSummary("x".repeat(100)).length, 60);
  assert.equal(formatWhos([]), "Interactive namespace is empty.");
  assert.equal(formatWhos([{ name: "n", type: "number", info: "1" }]), "Variable   Type     Data/Info\n-----------------------------\nn          number   1");
});

test("%who, %whos and %reset need the kernel's variables", async () => {
  const { ctx } = recordingContext();
  await assert.rejects(runMagic(part("%who"), ctx), simlabError(/no notebook variables here/));
  const values: Record<string, unknown> = { a: 1, b: "two" };
  const variables = { names: () => Object.keys(values), get: (n: string) => values[n], reset: () => Object.keys(values).forEach((k) => delete values[k]) };
  const rec = recordingContext();
  await runMagic(part("%who string"), { ...rec.ctx, variables });
  assert.equal(rec.stdout(), "b\n");
  const refused = recordingContext();
  await runMagic(part("%reset"), { ...refused.ctx, variables, ask: async () => "n" });
  assert.equal(refused.stdout(), "Nothing done.\n");
  assert.deepEqual(Object.keys(values), ["a", "b"]);
  const yes = recordingContext();
  await runMagic(part("%reset"), { ...yes.ctx, variables, ask: async () => "y" });
  assert.equal(yes.stdout(), "Deleted 2 variables.\n");
  assert.deepEqual(Object.keys(values), []);
});

test("%ls marks folders, links and programs and lays names out in columns; %pwd returns the directory", async () => {
  mkdirSync(join(scratch, "sub"));
  writeFileSync(join(scratch, "run.sh"), "#!/bin/sh\n");
  chmodSync(join(scratch, "run.sh"), 0o755);
  writeFileSync(join(scratch, "data.csv"), "x\n");
  writeFileSync(join(scratch, ".hidden"), "");
  symlinkSync("data.csv", join(scratch, "link"));
  assert.deepEqual(listDirectory(scratch), ["data.csv", "link@", "run.sh*", "sub/"]);
  assert.ok(listDirectory(scratch, { all: true }).includes(".hidden"));
  assert.equal(inColumns(["a", "bb", "c"], 8), "a   c\nbb");
  assert.throws(() => listDirectory(join(scratch, "nope")), simlabError(/cannot list .*nope: no such file or directory/));
  const { ctx, stdout } = recordingContext();
  await runMagic(part(`%ls ${scratch}`), ctx);
  assert.equal(stdout(), "data.csv  link@     run.sh*   sub/\n");
  assert.equal((await runMagic(part("%pwd"), ctx)).value, process.cwd());
});
