/** The history store (SQLite, as the kernel writes it) and %history reading it through a second connection. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { HistoryStore } from "../../src/store/history.js";
import { recordingContext } from "./context.js";

const scratch = mkdtempSync(join(tmpdir(), "simlab-history-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("sessions keep their cells; tail, range and search answer like IPython's history", () => {
  const file = join(scratch, "a", "history.sqlite");
  const store = new HistoryStore(file);
  const first = store.startSession();
  store.addInput(first, 1, "const x = 6 * 7;");
  store.addInput(first, 2, "x");
  store.addOutput(first, 2, "42");
  store.endSession(first);
  const second = store.startSession();
  assert.ok(second > first);
  store.addInput(second, 1, "x");
  store.addInput(second, 2, "display(1)");

  assert.deepEqual(store.tail(3).map((e) => [e.session, e.line, e.source]), [[first, 2, "x"], [second, 1, "x"], [second, 2, "display(1)"]]);
  assert.deepEqual(store.tail(2, { output: true })[0], { session: second, line: 1, source: "x", output: null });
  assert.deepEqual(store.range(first, 2, undefined, { output: true }), [{ session: first, line: 2, source: "x", output: "42" }]);
  assert.deepEqual(store.range(second, 1, 2).map((e) => e.line), [1]);
  assert.equal(store.search("x").length, 2);
  assert.deepEqual(store.search("x", { unique: true }).map((e) => [e.session, e.line]), [[second, 1]]);
  assert.deepEqual(store.search("*6?*?7*").map((e) => e.source), ["const x = 6 * 7;"]);
  assert.deepEqual(store.search("*", { n: 2 }).map((e) => e.line), [1, 2]);
  store.close();
  // A new process (a new kernel) sees the earlier sessions.
  const again = new HistoryStore(file);
  assert.equal(again.tail(10).length, 4);
  again.close();
});

function magic(cell: string): MagicPart {
  return splitCell(cell)[0] as MagicPart;
}

test("%history prints this session, -n numbers, -l the last N of all sessions, -g searches", async () => {
  const file = join(scratch, "b.sqlite");
  const store = new HistoryStore(file);
  const old = store.startSession();
  store.addInput(old, 1, "let sweepDb = 'a.db';");
  const session = store.startSession();
  store.addInput(session, 1, "const y = 2;\nconst z = 3;");
  store.addInput(session, 2, "%history -n");
  const run = async (line: string) => {
    const { ctx, stdout } = recordingContext();
    await runMagic(magic(line), { ...ctx, history: { file, session } });
    return stdout();
  };
  assert.equal(await run("%history"), "const y = 2;\nconst z = 3;\n%history -n\n");
  assert.equal(await run("%history -n"), "   1: const y = 2;\n      const z = 3;\n   2: %history -n\n");
  assert.equal(await run("%history -l 2"), "const y = 2;\nconst z = 3;\n%history -n\n");
  assert.equal(await run("%history -g sweep"), `${`${old}/1`.padStart(4)}: let sweepDb = 'a.db';\n`);
  assert.equal(await run("%history -g nothing-like-this"), "");
  store.close();
  const { ctx } = recordingContext();
  await assert.rejects(runMagic(magic("%history"), ctx), (e: unknown) => isSimlabError(e) && /no history here/.test(e.message));
  await assert.rejects(runMagic(magic("%history -l 0"), { ...ctx, history: { file, session } }), (e: unknown) => isSimlabError(e) && /at least 1/.test(e.message));
});
