import assert from "node:assert/strict";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { interpolate } from "../../src/magics/interpolate.js";
import { splitCell } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { recordingContext } from "./context.js";

/** Evaluates the few expressions these tests use, as the kernel would in the notebook. */
const notebook: Record<string, unknown> = { "(size)": 128, "(tools)": ["native", "cachegrind"], "(size * 2)": 256, '(("a b"))': "a b" };
const evaluate = async (expression: string) => {
  if (!(expression in notebook)) throw new Error(`1:2 - Cannot find name '${expression.slice(1, -1)}'.`);
  return notebook[expression];
};

test("{expr} inserts notebook values; arrays become comma lists; {{ }} are literal braces", async () => {
  assert.equal(await interpolate('--space "M={size}" --tools {tools}', evaluate, "%sweep"), '--space "M=128" --tools native,cachegrind');
  assert.equal(await interpolate("-n { size * 2 } {{x}}", evaluate, "%x"), "-n 256 {x}");
  assert.equal(await interpolate("plain text, no braces", evaluate, "%x"), "plain text, no braces");
  assert.equal(await interpolate('--title "{("a b")}"', evaluate, "%x"), '--title "a b"');
});

test("a bad interpolation is one SimlabError naming the magic and the expression", async () => {
  for (const [text, pattern] of [
    ["--n {missing}", /^%sweep: cannot expand \{missing\}: 1:2 - Cannot find name 'missing'\.$/],
    ["--n {size", /^%sweep: unmatched \{ at column 5$/],
    ["--n size}", /^%sweep: unmatched \} at column 9$/],
    ["--n {}", /^%sweep: empty \{\} at column 5$/],
  ] as const) {
    await assert.rejects(interpolate(text, evaluate, "%sweep"), (e: unknown) => isSimlabError(e) && pattern.test(e.message) && e.hint !== undefined);
  }
});

test("magic lines are interpolated through the context's runCode, except TypeScript statements of %time", async () => {
  const { ctx, stdout } = recordingContext({ runCode: async (code: string) => (code === "(dir)" ? "/" : code === "{ 1 }" ? 1 : undefined) });
  const before = process.cwd();
  try {
    const [cd] = splitCell("%cd {dir}");
    assert.ok(cd?.kind === "magic");
    await runMagic(cd, ctx);
    assert.equal(process.cwd(), "/");
  } finally {
    process.chdir(before);
  }
  const [time] = splitCell("%time { 1 }");
  assert.ok(time?.kind === "magic");
  assert.equal((await runMagic(time, ctx)).value, 1);
  assert.match(stdout(), /Wall time/);
});
