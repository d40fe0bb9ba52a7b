import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { canonicalKnobs, openStore } from "../../src/store/index.js";
import { strategyNames, tune, type TuneResult } from "../../src/tune/index.js";

/**
 * Strategies against a real store (gcc, cachegrind, native): a full grid tuning fills it first; then every strategy
 * runs live with a seed and a max-evals budget, and again as a replay (lookups only) that must choose the same
 * candidates in the same order. A time limit is tested on an empty store, where each step really simulates.
 */
const dir = mkdtempSync(join(tmpdir(), "simlab-strategies-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, "store.db");
const SPACE = "M=48 N=48 K=48 order=ijk,ikj,jki,kji tn=0,16 unroll=1,4";
const base = { workload: "gemm", space: SPACE, db, budget: 3, reps: 3, fresh: true } as const;

const runCount = (path: string) => {
  const store = openStore(path, { readonly: true });
  try {
    return store.prepare("SELECT count(*) FROM runs").pluck().get() as number;
  } finally {
    store.close();
  }
};
const choices = (r: TuneResult) => r.simulated.map((c) => canonicalKnobs(c.knobs));

let grid: TuneResult;
before(async () => {
  grid = await tune({ ...base, strategy: "grid" });
});

test("grid simulates every candidate once", () => {
  assert.equal(grid.simulated.length, 16);
  assert.equal(new Set(choices(grid)).size, 16);
});

for (const strategy of strategyNames) {
  test(`${strategy}: honours --max-evals, and a replay with the same seed makes the same choices without running anything`, async () => {
    const live = await tune({ ...base, strategy, maxEvals: 6, seed: 7 });
    assert.equal(live.simulated.length, 6, `${strategy} simulated ${live.simulated.length}`);
    assert.equal(new Set(choices(live)).size, 6, "no candidate twice");
    const runs = runCount(db);
    const replay = await tune({ ...base, strategy, maxEvals: 6, seed: 7, replay: true });
    assert.equal(runCount(db), runs, "the replay ran nothing");
    assert.deepEqual(choices(replay), choices(live));
    assert.deepEqual(replay.best, live.best);
    assert.deepEqual(replay.missing, []);
    assert.equal(replay.replay, true);
    if (strategy !== "grid") {
      const other = await tune({ ...base, strategy, maxEvals: 6, seed: 8, replay: true });
      assert.notDeepEqual(choices(other), choices(live), "another seed chooses otherwise");
    }
  });
}

test("a replay reports the points the store lacks instead of running them", async () => {
  const runs = runCount(db);
  const wider = await tune({ ...base, space: SPACE.replace("unroll=1,4", "unroll=1,4,8"), strategy: "grid", replay: true });
  assert.equal(runCount(db), runs);
  assert.equal(wider.simulated.filter((c) => c.status === "not-in-store").length, 8);
  assert.ok(wider.missing.length >= 8 && wider.missing.every((k) => k.unroll === 8), `missing: ${JSON.stringify(wider.missing)}`);
  assert.notEqual(wider.best.knobs.unroll, 8, "a point not in the store never wins");
});

test("--time-limit: no simulation starts after the limit", async () => {
  const fresh = join(dir, "empty.db");
  const limit = 2;
  const r = await tune({ ...base, db: fresh, strategy: "anneal", timeLimit: limit, budget: 1 });
  assert.ok(r.simulated.length >= 1 && r.simulated.length < 16, `simulated ${r.simulated.length}`);
  assert.ok(r.simulated.every((c) => c.at_s! < limit), `starts: ${r.simulated.map((c) => c.at_s!.toFixed(2)).join(" ")}`);
});
