import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { workloadFor } from "../../src/workloads/index.js";
import { toolFor } from "../../src/sim/index.js";
import { RunFailure } from "../../src/core/contracts.js";
import { isSimlabError } from "../../src/core/errors.js";
import { context, removeScratch, scratch } from "../sim/c-fixtures.js";

const USER_C = `#include <stdio.h>
#include <string.h>
#ifndef SIZE
#error "SIZE must be defined"
#endif
static long data[SIZE];
__attribute__((noinline)) void kernel(void) { for (int i = 0; i < SIZE; i++) data[i] = (long)i * FACTOR; }
int main(int argc, char **argv) {
  kernel();
  long s = 0; for (int i = 0; i < SIZE; i++) s += data[i];
  if (argc > 1 && strcmp(argv[1], "time") == 0) for (int r = 0; r < 3; r++) printf("rep 0.00%d\\n", r + 1);
  printf("checksum %ld\\nelements=%d\\n{\\"extra\\": {\\"factor\\": %d}}\\n", s, SIZE, FACTOR);
  return 0;
}
`;

test("cfile: knobs become -D defines and the protocol is read", async () => {
  const dir = await scratch();
  try {
    const file = join(dir, "user.c");
    await writeFile(file, USER_C);
    const workload = workloadFor("cfile", { file });
    const source = workload.source({ SIZE: 10, FACTOR: 3 });
    assert.ok(source.flags.includes("-DSIZE=10") && source.flags.includes("-DFACTOR=3"));
    const program = await workload.build({ SIZE: 10, FACTOR: 3 }, dir, new AbortController().signal);
    const out = await toolFor("native", { reps: 3 }).run(program, context(dir));
    assert.equal(out.checksum, String(3 * 45));
    assert.equal(out.stats.elements, 10);
    assert.equal(out.stats["extra.factor"], 3);
    assert.equal(out.stats.runtime_min_s, 0.001);
    assert.equal(out.stats.runtime_median_s, 0.002);
    assert.throws(() => workload.validate({ "bad name": 1 }), (e) => isSimlabError(e) && /bad name/.test(e.message));
    assert.throws(() => workload.validate({ X: "a b" }), (e) => isSimlabError(e) && /X=/.test(e.message));
  } finally {
    await removeScratch(dir);
  }
});

test("cfile: a compile error is RunFailure('build') with the compiler's message", async () => {
  const dir = await scratch();
  try {
    const file = join(dir, "user.c");
    await writeFile(file, USER_C);
    await assert.rejects(
      workloadFor("cfile", { file }).build({ FACTOR: 2 }, dir, new AbortController().signal),
      (e) => e instanceof RunFailure && e.reason === "build" && /SIZE must be defined/.test(e.details.stderrTail ?? "") && e.details.exitCode === 1,
    );
    assert.throws(() => workloadFor("cfile", { file: join(dir, "missing.c") }).source({}), (e) => isSimlabError(e) && /missing\.c/.test(e.message));
    assert.throws(() => workloadFor("cfile"), (e) => isSimlabError(e) && /file/.test(e.hint!));
  } finally {
    await removeScratch(dir);
  }
});

test("command: build and run templates with knob placeholders", async () => {
  const dir = await scratch();
  try {
    const file = join(dir, "user.c");
    await writeFile(file, USER_C);
    const workload = workloadFor("command", { file, build: "{cc} {flags} -DSIZE={n} -DFACTOR={f} {src} -o {bin}", run: "{bin}", kernel: "kernel" });
    const buildDir = await scratch();
    const program = await workload.build({ n: 20, f: 2 }, buildDir, new AbortController().signal);
    const native = await toolFor("native", { reps: 3 }).run(program, context(dir));
    assert.equal(native.checksum, String(2 * 190));
    assert.equal(native.stats.reps, 3);
    const cachegrind = await toolFor("cachegrind").run(program, context(dir));
    assert.equal(cachegrind.checksum, String(2 * 190));
    assert.ok(cachegrind.stats["kernel.Ir"]! > 20 && cachegrind.stats["kernel.Ir"]! < cachegrind.stats["total.Ir"]!);
    await removeScratch(buildDir);
    assert.throws(() => workload.source({ m: 3 }), (e) => isSimlabError(e) && /\{n\}/.test(e.message));
    const failing = workloadFor("command", { build: "echo broken >&2; exit 3", run: "true" });
    await assert.rejects(failing.build({}, dir, new AbortController().signal), (e) => e instanceof RunFailure && e.reason === "build" && e.details.exitCode === 3 && /broken/.test(e.details.stderrTail!));
  } finally {
    await removeScratch(dir);
  }
});

test("workload options are checked by kind: a string for flags, an unknown or misspelt option", () => {
  assert.throws(() => workloadFor("cfile", { file: "x.c", flags: "-O3" as unknown as string[] }), (e) => isSimlabError(e) && e.message === 'cfile: flags: expected a list of strings, got "-O3"');
  assert.throws(() => workloadFor("gemm", { file: "x.c" }), (e) => isSimlabError(e) && e.message === "gemm: unknown option 'file'" && /cc, flags/.test(e.hint!));
  assert.throws(() => workloadFor("command", { run: "{bin}", bulid: "make" } as never), (e) => isSimlabError(e) && /unknown option 'bulid' \(did you mean 'build'\?\)/.test(e.message));
  assert.throws(() => workloadFor("command", { run: "" }), (e) => isSimlabError(e) && /run: expected a non-empty string/.test(e.message));
  assert.equal(workloadFor("cfile", { file: "x.c", flags: ["-O3"], reference: { N: 64 } }).kind, "cfile");
});
