import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { formatDuration } from "../../src/magics/basic.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { recordingContext } from "./context.js";

const startDir = process.cwd();
const scratch = realpathSync(mkdtempSync(join(tmpdir(), "simlab-basic-")));
after(() => {
  process.chdir(startDir);
  rmSync(scratch, { recursive: true, force: true });
});

function magic(cell: string): MagicPart {
  return splitCell(cell)[0] as MagicPart;
}

async function message(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isSimlabError(e));
    return e.message;
  }
  return assert.fail("expected a SimlabError");
}

test("%time runs the statement verbatim, prints the wall time and returns the value", async () => {
  const seen: string[] = [];
  const { ctx, stdout } = recordingContext({
    runCode: async (code) => {
      seen.push(code);
      await new Promise((r) => setTimeout(r, 20));
      return "value";
    },
  });
  const result = await runMagic(magic(`%time await f("a  b", 'c')`), ctx);
  assert.equal(result.value, "value");
  assert.deepEqual(seen, [`await f("a  b", 'c')`]);
  const ms = Number(/^Wall time: ([\d.]+) ms\n$/.exec(stdout())?.[1]);
  assert.ok(ms >= 19 && ms < 1000, stdout());
});

test("%%time times the body; --repeat runs it several times", async () => {
  const seen: string[] = [];
  const { ctx, stdout } = recordingContext({ runCode: async (code) => seen.push(code) });
  const result = await runMagic(magic("%%time --repeat 3\nconst x = 1;\nx"), ctx);
  assert.deepEqual(seen, ["const x = 1;\nx", "const x = 1;\nx", "const x = 1;\nx"]);
  assert.equal(result.value, 3);
  assert.match(stdout(), /^Wall time: [\d.]+ (µs|ms) per run \(mean of 3 runs; min [\d.]+ (µs|ms)\)\n$/);
  assert.equal(await message(runMagic(magic("%time -r x 1"), ctx)), "%time: option -r/--repeat expects an integer, got 'x'");
  assert.equal(await message(runMagic(magic("%time --repeat 0 1"), ctx)), "%time: option --repeat must be at least 1, got 0");
  assert.equal(await message(runMagic(magic("%time"), ctx)), "%time: missing STATEMENT (TypeScript to run)");
});

test("errors thrown by the timed code propagate unchanged", async () => {
  const { ctx } = recordingContext({ runCode: async () => { throw new TypeError("boom"); } });
  await assert.rejects(runMagic(magic("%time f()"), ctx), TypeError);
});

test("formatDuration picks a readable unit", () => {
  assert.equal(formatDuration(12.34), "12.3 ms");
  assert.equal(formatDuration(1234), "1.23 s");
  assert.equal(formatDuration(0.0456), "45.6 µs");
});

test("%cd changes, prints and goes back; bad directories are clear errors", async () => {
  const { ctx, stdout } = recordingContext();
  await runMagic(magic(`%cd ${scratch}`), ctx);
  assert.equal(process.cwd(), scratch);
  await runMagic(magic("%cd"), ctx);
  assert.equal(stdout(), `${scratch}\n${scratch}\n`);
  await runMagic(magic("%cd -"), ctx);
  assert.equal(process.cwd(), startDir);
  await runMagic(magic("%cd -"), ctx);
  assert.equal(process.cwd(), scratch);
  writeFileSync(join(scratch, "file.txt"), "x");
  assert.equal(await message(runMagic(magic("%cd 'no such dir'"), ctx)), `%cd: no such directory: ${join(scratch, "no such dir")}`);
  assert.equal(await message(runMagic(magic("%cd file.txt"), ctx)), `%cd: not a directory: ${join(scratch, "file.txt")}`);
  assert.equal(process.cwd(), scratch, "a failed %cd must not move");
  await runMagic(magic("%cd ~"), ctx);
  assert.equal(process.cwd(), realpathSync(process.env.HOME!));
  process.chdir(startDir);
});

test("%env lists, gets and sets variables", async () => {
  const { ctx, stdout } = recordingContext();
  await runMagic(magic("%env SIMLAB_TEST_A=hello world"), ctx);
  assert.equal(process.env.SIMLAB_TEST_A, "hello world");
  await runMagic(magic("%env SIMLAB_TEST_B 'two  spaces'"), ctx);
  assert.equal(process.env.SIMLAB_TEST_B, "two  spaces");
  assert.equal((await runMagic(magic("%env SIMLAB_TEST_A"), ctx)).value, "hello world");
  await runMagic(magic("%env"), ctx);
  assert.match(stdout(), /^env: SIMLAB_TEST_A=hello world\nenv: SIMLAB_TEST_B=two {2}spaces\n[\s\S]*^SIMLAB_TEST_A=hello world$/m);
  assert.equal(await message(runMagic(magic("%env SIMLAB_TEST_UNSET_X"), ctx)), "%env: SIMLAB_TEST_UNSET_X is not set");
  assert.equal(await message(runMagic(magic("%env 1BAD=x"), ctx)), "%env: '1BAD' is not a valid variable name");
  delete process.env.SIMLAB_TEST_A;
  delete process.env.SIMLAB_TEST_B;
});
