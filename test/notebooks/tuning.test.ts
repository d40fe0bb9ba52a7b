import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { cellStarting, codeCells, executionCounts, figureOf, htmlTableOf, numbers, runNotebook, textOf } from "./helpers.js";

/** notebooks/tuning.ipynb headless with real gcc, cachegrind and native timing: tune, the cache, replayed strategies. */
const dir = mkdtempSync(join(tmpdir(), "simlab-tuning-notebook-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("tuning.ipynb tunes a GEMM shape end to end: the winner near the true best, its curve against random, the cache, replays", async () => {
  const nb = (await runNotebook("tuning", join(dir, "tuning.ipynb"), { env: { SIMLAB_TUNING_DB: join(dir, "tuning.db") } })).notebook;
  assert.deepEqual(executionCounts(nb), codeCells(nb).map((_, i) => i + 1));

  const truth = textOf(cellStarting(nb, "%sweep").outputs);
  assert.match(truth, /12 variants measured; the fastest runs \d+\.\d{4} ms/);

  const tuned = cellStarting(nb, "%tune --workload gemm --space \"{space}\" --budget {budget} --reps 3 --db {db} --fresh");
  const text = textOf(tuned.outputs);
  assert.match(text, /gemm M=128 N=128 K=128: best .+ ms, \d+\.\d\d× the reference schedule — 12 simulated \(grid\), 4 measured/);
  const within = Number(/within (\d+\.\d) % of the true best after 4 measurements/.exec(text)?.[1]);
  assert.ok(within <= 2, `the pick is ${within} % off the true best`);
  assert.equal(htmlTableOf(tuned).rows.length, 4);
  const figure = figureOf(tuned);
  assert.deepEqual(figure.data.map((t) => t.name).sort(), ["random", "top-k predicted"]);
  assert.ok(figure.data.every((t) => t.y?.length === 4));

  assert.match(textOf(cellStarting(nb, "%tune --workload gemm --space \"{space}\" --budget {budget} --reps 3 --db {db} -> again").outputs), /from the tuning cache[\s\S]*cached: true, in 0\.\d{3} s/);

  const replays = htmlTableOf(cellStarting(nb, "import * as aq"));
  assert.deepEqual(replays.rows.map((r) => r[0]), ["grid", "random", "genetic", "anneal", "model"]);
  assert.deepEqual(numbers(replays, "simulated"), [6, 6, 6, 6, 6]);
  assert.deepEqual(numbers(replays, "missing"), [0, 0, 0, 0, 0]);
  assert.ok(numbers(replays, "vs_true_best").every((v) => v >= 1), "no strategy beats the true best");
});
