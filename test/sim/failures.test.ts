import { test } from "node:test";
import assert from "node:assert/strict";
import { toolFor } from "../../src/sim/index.js";
import { RunFailure } from "../../src/core/contracts.js";
import { buildC, context, processesMentioning, removeScratch, scratch } from "./c-fixtures.js";

const CRASH = `#include <signal.h>
#include <stdio.h>
int main(void) { fprintf(stderr, "about to crash\\n"); raise(SIGSEGV); return 0; }`;

/** Forks a child (same process group) and both spin forever. */
const HANG = `#include <unistd.h>
int main(void) { fork(); for (;;) {} }`;

const EXIT3 = `#include <stdio.h>
int main(void) { fprintf(stderr, "bad input\\n"); return 3; }`;

const GARBAGE = `#include <stdio.h>
int main(void) { puts("%%% no statistics here %%%"); return 0; }`;

async function withProgram(source: string, body: (program: Awaited<ReturnType<typeof buildC>>, dir: string) => Promise<void>): Promise<void> {
  const dir = await scratch();
  try {
    await body(await buildC(source, dir), dir);
  } finally {
    await removeScratch(dir);
  }
}

const failsWith = (reason: string, check: (e: RunFailure) => boolean = () => true) => (e: unknown) =>
  e instanceof RunFailure && e.reason === reason && check(e);

test("a program that crashes is RunFailure('crash') with its signal and stderr, under every tool", async () => {
  await withProgram(CRASH, async (program, dir) => {
    for (const tool of ["native", "cachegrind", "callgrind", "cmd:{binary} {args}"]) {
      await assert.rejects(
        toolFor(tool).run(program, context(dir)),
        failsWith("crash", (e) => (e.details.signal === "SIGSEGV" || e.details.exitCode === 139) && /about to crash/.test(e.details.stderrTail ?? "")),
        tool,
      );
    }
  });
  await withProgram(EXIT3, async (program, dir) => {
    await assert.rejects(toolFor("cachegrind").run(program, context(dir)), failsWith("crash", (e) => e.details.exitCode === 3 && /bad input/.test(e.message)));
  });
});

test("a run past its timeout is RunFailure('timeout') and leaves no process of its group behind", async () => {
  await withProgram(HANG, async (program, dir) => {
    for (const tool of ["cachegrind", "native"]) {
      const started = performance.now();
      await assert.rejects(toolFor(tool).run(program, context(dir, 700)), failsWith("timeout"), tool);
      assert.ok(performance.now() - started < 5000);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(processesMentioning(dir), [], `${tool}: no process left`);
    }
  });
});

test("an abort is RunFailure('cancelled') and kills the whole group", async () => {
  await withProgram(HANG, async (program, dir) => {
    const controller = new AbortController();
    const run = toolFor("cachegrind").run(program, context(dir, 60_000, controller.signal));
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(processesMentioning(dir).length >= 1, "the simulation is running");
    controller.abort();
    await assert.rejects(run, failsWith("cancelled"));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(processesMentioning(dir), []);
    await assert.rejects(toolFor("native").run(program, context(dir, 60_000, controller.signal)), failsWith("cancelled"));
  });
});

test("garbage output is RunFailure('bad-output') naming what was expected", async () => {
  await withProgram(GARBAGE, async (program, dir) => {
    await assert.rejects(toolFor("cmd:{binary} {args}").run(program, context(dir)), failsWith("bad-output", (e) => /name=value/.test(e.message)));
    await assert.rejects(toolFor("native").run(program, context(dir)), failsWith("bad-output", (e) => /rep <seconds>/.test(e.message)));
    // the program has no kernel function: cachegrind says so instead of reporting zeros
    await assert.rejects(toolFor("cachegrind").run({ ...program, kernelFunction: "kernel" }, context(dir)), failsWith("bad-output", (e) => /'kernel' not found/.test(e.message)));
    await assert.rejects(toolFor("callgrind").run({ ...program, kernelFunction: "kernel" }, context(dir)), failsWith("bad-output", (e) => /nothing inside 'kernel'/.test(e.message)));
    // valgrind told to write its statistics elsewhere: the expected file is missing
    const misdirected = toolFor("cachegrind", { extraArgs: ["--cachegrind-out-file=/dev/null"] });
    await assert.rejects(misdirected.run(program, context(dir)), failsWith("bad-output", (e) => e.message.includes(`${dir}/cachegrind.out`)));
  });
});

test("a missing simulator is reported by probe with a hint, and unknown tools list the known ones", async () => {
  const info = await toolFor("cachegrind", { valgrind: "/nonexistent/valgrind" }).probe();
  assert.equal(info.available, false);
  assert.match(info.reason!, /apt-get install valgrind/);
  const real = await toolFor("cachegrind").probe();
  assert.match(real.version!, /^valgrind-\d+\.\d+/);
  assert.equal((await toolFor("cmd:no-such-simulator-xyz {binary}").probe()).available, false);
  assert.throws(() => toolFor("gem5"), (e) => e instanceof Error && /gem5/.test(e.message) && /native, cachegrind, callgrind/.test((e as { hint?: string }).hint ?? ""));
});
