import assert from "node:assert/strict";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { MAGIC_NAMES } from "../../src/magics/names.js";
import { magicNames, MagicRegistry, runMagic } from "../../src/magics/registry.js";
import type { MagicSpec } from "../../src/magics/types.js";
import { recordingContext } from "./context.js";

function part(line: string): MagicPart {
  const [first] = splitCell(line);
  assert.equal(first?.kind, "magic");
  return first as MagicPart;
}

async function rejection(promise: Promise<unknown>): Promise<{ message: string; hint?: string }> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isSimlabError(e), `expected a SimlabError, got ${String(e)}`);
    return e;
  }
  return assert.fail("expected the magic to fail");
}

const double: MagicSpec = {
  name: "double",
  kind: "line",
  summary: "Double a number",
  binds: "number",
  positionals: [{ name: "x", type: "number", required: true, help: "the number" }],
  run: async (args) => Number(args.x) * 2,
};

test("a family that fails to import does not break the others, and %lsmagic reports it", async () => {
  let loadedSlow = false;
  const registry = new MagicRegistry({
    good: async () => ({ magics: [double] }),
    broken: async () => {
      throw new Error("Cannot find module 'missing-simulator'\n    at stack line");
    },
    empty: async () => ({}) as { magics: readonly MagicSpec[] },
    slow: async () => {
      loadedSlow = true;
      return { magics: [] };
    },
  });
  const { ctx } = recordingContext();
  assert.deepEqual(await registry.run(part("%double 21 -> d"), ctx), { value: 42, bindType: "number" });
  assert.equal(loadedSlow, false, "finding %double must not load later families");
  const listing = await registry.listing();
  assert.match(listing, /Line magics:\n {2}%double +Double a number/);
  assert.match(listing, /Cell magics:\n {2}\(none\)/);
  assert.match(listing, /Unavailable magic families:\n {2}broken: Cannot find module 'missing-simulator'\n {2}empty: the module does not export `magics`/);
  assert.ok(!listing.includes("stack line"));
});

test("unknown magics suggest the closest name and %lsmagic", async () => {
  const { ctx } = recordingContext();
  const e = await rejection(runMagic(part("%tiem 1+1"), ctx));
  assert.equal(e.message, "unknown magic %tiem");
  assert.equal(e.hint, "did you mean %time? %lsmagic lists the available magics");
  const far = await rejection(runMagic(part("%qqqqqqqqqq"), ctx));
  assert.equal(far.hint, "%lsmagic lists the available magics");
  assert.equal((await rejection(runMagic(part("%"), ctx))).message, "missing magic name after %");
});

test("line vs cell kind mistakes are explained", async () => {
  const { ctx } = recordingContext();
  assert.equal((await rejection(runMagic(part("%sh ls"), ctx))).message, "%sh is a cell magic: write %%sh on the first line of the cell");
  assert.equal((await rejection(runMagic(part("%%cd /tmp"), ctx))).message, "%%cd is a line magic: write %cd on a line of its own");
});

test("bad binding names are refused before running", async () => {
  const { ctx } = recordingContext();
  const e = await rejection(runMagic(part("%env HOME -> 2x"), ctx));
  assert.equal(e.message, "%env: cannot bind to '2x': not a valid TypeScript variable name");
  assert.equal((await rejection(runMagic(part("%env HOME -> const"), ctx))).message, "%env: cannot bind to 'const': not a valid TypeScript variable name");
  assert.deepEqual(await runMagic(part("%env HOME -> home"), ctx), { value: process.env.HOME, bindType: "string | undefined" });
  assert.deepEqual(await runMagic(part("%time 1 -> t"), ctx), { value: 1, bindType: "unknown" });
});

test("%name --help, -h and %name? print the usage and run nothing", async () => {
  for (const line of ["%time --help", "%time -h", "%time?", "%%sh?"]) {
    const { ctx, stdout } = recordingContext({ runCode: async () => assert.fail("help must not run code") });
    const result = await runMagic(part(line), ctx);
    assert.equal(result.value, undefined);
    assert.match(stdout(), /^usage: %{1,2}(time|sh)/, line);
    assert.match(stdout(), /-h, --help +show this help/);
  }
});

test("%lsmagic and magicNames list the real families", async () => {
  const names = await magicNames();
  for (const name of ["%lsmagic", "%time", "%%time", "%%sh", "%cd", "%env"]) assert.ok(names.includes(name), name);
  // The kernel completes `%` names from this static list without loading the families.
  assert.deepEqual([...MAGIC_NAMES].sort(), names, "src/magics/names.ts is out of date");
  const { ctx } = recordingContext();
  const { value } = await runMagic(part("%lsmagic"), ctx);
  const bundle = (value as Record<symbol, () => Record<string, unknown>>)[Symbol.for("simlab.toMimeBundle")]!();
  const text = String(bundle["text/plain"]);
  assert.match(text, /Line magics:[\s\S]*%time +Run a TypeScript statement[\s\S]*Cell magics:[\s\S]*%%sh +Run the cell as a shell script/);
});
