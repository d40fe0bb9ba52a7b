import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { fillTemplate, placeholders } from "../../src/proc/command-template.js";
import { runProcess } from "../../src/proc/run-process.js";
import { RunFailure } from "../../src/core/contracts.js";

/** What /bin/sh passes to printf for the filled template: one line per argument. */
function argsOf(template: string, values: Record<string, string | number | readonly string[]>): string[] {
  const script = fillTemplate(`printf '%s\\n' ${template}`, values, "test");
  return execFileSync("/bin/sh", ["-c", script], { encoding: "utf8", cwd: "/tmp" }).split("\n").slice(0, -1);
}

const NASTY = `a b'c"d$(echo INJECTED)\`echo INJECTED\`$HOME\\e`;

test("a placeholder's value reaches the command unchanged, whatever the quotes around it", () => {
  assert.deepEqual(argsOf("{x}", { x: NASTY }), [NASTY]);
  assert.deepEqual(argsOf('"{x}"', { x: NASTY }), [NASTY]);
  assert.deepEqual(argsOf("'{x}'", { x: NASTY }), [NASTY]);
  assert.deepEqual(argsOf('"pre {x} post"', { x: NASTY }), [`pre ${NASTY} post`]);
  assert.deepEqual(argsOf("'pre {x} post'", { x: NASTY }), [`pre ${NASTY} post`]);
  assert.deepEqual(argsOf('"$(echo {x})"', { x: "a;echo INJECTED" }), ["a;echo INJECTED"]);
  assert.deepEqual(argsOf("{n}x", { n: 3 }), ["3x"]);
});

test("a list placeholder is one word per element unquoted, one joined word when quoted", () => {
  assert.deepEqual(argsOf("{flags}", { flags: ["-O2", "-DNAME=a b", NASTY] }), ["-O2", "-DNAME=a b", NASTY]);
  assert.deepEqual(argsOf('"{flags}"', { flags: ["-O2", "-g"] }), ["-O2 -g"]);
  assert.deepEqual(argsOf("{flags} end", { flags: [] }), ["end"]);
});

test("the shell's own ${name} is left alone; an unknown placeholder names itself and the known ones", () => {
  assert.deepEqual(placeholders("{bin} ${HOME} {n}"), ["bin", "n"]);
  assert.deepEqual(argsOf("${NOPE:-unset} {x}", { x: "v" }), ["unset", "v"]);
  assert.throws(() => fillTemplate("{bni}", { bin: "./prog" }, "run command"), (e) => isSimlabError(e) && e.message === "run command: unknown placeholder {bni}" && e.hint === "available: {bin}");
});

test("output beyond the limit fails the run with 'output exceeded', naming the limit", async () => {
  const signal = new AbortController().signal;
  await assert.rejects(
    runProcess("/bin/sh", ["-c", "head -c 5000 /dev/zero | tr '\\0' x"], { signal, timeoutMs: 10_000, maxOutput: 1000 }),
    (e) => e instanceof RunFailure && e.reason === "bad-output" && /^output exceeded 1000 bytes/.test(e.message),
  );
  const fits = await runProcess("/bin/sh", ["-c", "head -c 900 /dev/zero | tr '\\0' x"], { signal, timeoutMs: 10_000, maxOutput: 1000 });
  assert.equal(fits.stdout.length, 900);
  await assert.rejects(runProcess("true", [], { signal, timeoutMs: 2 ** 31 }), RangeError);
});
