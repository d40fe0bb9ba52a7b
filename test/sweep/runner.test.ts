import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { openStore } from "../../src/store/index.js";
import { canonicalKnobs } from "../../src/store/sweeps.js";
import type { Catalog } from "../../src/sweep/catalog.js";
import { runSweep } from "../../src/sweep/index.js";
import { RunFailure, type Knobs, type RunOutput, type Tool, type Workload } from "../../src/core/contracts.js";
import { grid, sample } from "../../src/workloads/index.js";

// The runner's logic over a fake catalog (no gcc, no valgrind; a real SQLite store): a workload whose
// programs are their knobs, and tools that behave as each test scripts. The real parts are in e2e and
// reliability tests.
const dir = mkdtempSync(join(tmpdir(), "simlab-runner-test-"));
let dbCount = 0;
const newDb = () => join(dir, `runner-${dbCount++}.db`);

type Behaviour = (knobs: Knobs, attempt: number) => Promise<RunOutput>;

interface Event {
  tool: string;
  knobs: string;
  start: number;
  end: number;
}

function fakeCatalog(behave: Record<string, Behaviour>, exclusive: string[] = []): { catalog: Catalog; events: Event[] } {
  const events: Event[] = [];
  const attempts = new Map<string, number>();
  let clock = 0;
  const workload = (options: Record<string, unknown>): Workload => ({
    kind: "fake",
    validate: () => {},
    source: (knobs) => ({ files: { "knobs.json": canonicalKnobs(knobs) }, flags: [] }),
    async build(knobs) {
      if (knobs.broken) throw new RunFailure("build", `cannot build ${canonicalKnobs(knobs)}`);
      return { binary: "/fake", args: [canonicalKnobs(knobs)], compiler: "none", flags: [] };
    },
    reference: (knobs) => ({ ...knobs, ...(options.reference as Knobs | undefined) }),
  });
  const tool = (name: string): Tool => ({
    name,
    exclusive: exclusive.includes(name),
    probe: async () => ({ available: true, version: "1" }),
    cacheKey: () => "",
    async run(program) {
      const id = `${name} ${program.args[0]}`;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const event = { tool: name, knobs: program.args[0]!, start: clock++, end: Infinity };
      events.push(event);
      try {
        return await behave[name]!(JSON.parse(program.args[0]!) as Knobs, attempt);
      } finally {
        event.end = clock++;
      }
    },
  });
  const catalog: Catalog = {
    workloadKinds: () => ["fake"],
    knobDomains: () => [],
    workload: (_kind, options) => workload(options),
    grid,
    sample,
    toolNames: () => Object.keys(behave),
    tool: (name) => tool(name),
  };
  return { catalog, events };
}

const ok = (checksum = "0", stats: Record<string, number> = { x: 1 }): RunOutput => ({ stats, checksum, wallSeconds: 0.001 });

function runRows(db: string): { knobs: string; tool: string; status: string; reason: string | null; message: string | null; attempts: number }[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.prepare("SELECT knobs, tool, status, reason, message, attempts FROM runs WHERE kind = 'point' ORDER BY knobs").all() as never;
  } finally {
    store.close();
  }
}

test("crashes and timeouts are retried up to `retries` extra attempts; other failures are not", async () => {
  const { catalog } = fakeCatalog({
    sim: async (k, attempt) => {
      if (k.v === 1 && attempt === 1) throw new RunFailure("crash", "segfault");
      if (k.v === 2 && attempt <= 2) throw new RunFailure("timeout", "too slow");
      if (k.v === 3) throw new RunFailure("crash", "always");
      if (k.v === 4) throw new RunFailure("bad-output", "garbage");
      return ok();
    },
  });
  const db = newDb();
  const summary = await runSweep({ name: "retry", workloads: [{ kind: "fake", space: { v: [0, 1, 2, 3, 4] } }], tools: ["sim"], options: { retries: 2, jobs: 2 } }, { db, catalog });
  assert.equal(summary.done, 3);
  assert.equal(summary.failed, 2);
  const attempts = Object.fromEntries(runRows(db).map((r) => [r.knobs, [r.status, r.reason, r.attempts]]));
  assert.deepEqual(attempts, {
    '{"v":0}': ["ok", null, 1],
    '{"v":1}': ["ok", null, 2],
    '{"v":2}': ["ok", null, 3],
    '{"v":3}': ["failed", "crash", 3],
    '{"v":4}': ["failed", "bad-output", 1],
  });
});

test("a checksum that differs from the reference's fails the run; an equal one passes", async () => {
  const { catalog } = fakeCatalog({ sim: async (k) => ok(k.order === "bad" ? "B" : "A") });
  const db = newDb();
  const spec = { name: "checksums", workloads: [{ kind: "fake", space: { n: [8], order: ["plain", "good", "bad"] }, options: { reference: { order: "plain" } } }], tools: ["sim"], options: { jobs: 2 } };
  const summary = await runSweep(spec, { db, catalog });
  assert.equal(summary.done, 2);
  assert.deepEqual(summary.failures.map((f) => [f.knobs.order, f.reason, f.message]), [["bad", "checksum", "checksum B differs from the reference variant's A"]]);
});

test("a reference that fails (build or run) fails its dependents with its reason, and the sweep ends", async () => {
  for (const [why, space] of [
    ["build", { n: [8], order: ["plain", "a", "b"], broken: [1] }],
    ["crash", { n: [8], order: ["plain", "a", "b"] }],
  ] as const) {
    const { catalog } = fakeCatalog({
      sim: async (k) => {
        if (k.order === "plain") throw new RunFailure("crash", "the reference crashed");
        return ok();
      },
    });
    const db = newDb();
    // With `broken` in the space, every variant fails to build; the reference's own failure is kept for it.
    const spec = { name: `ref-${why}`, workloads: [{ kind: "fake", space, options: { reference: { order: "plain" } } }], tools: ["sim"], options: { jobs: 2 } };
    const summary = await runSweep(spec, { db, catalog });
    assert.equal(summary.failed, 3, why);
    const rows = runRows(db);
    assert.deepEqual(new Set(rows.map((r) => `${r.status} ${r.reason}`)), new Set([`failed ${why}`]), why);
    if (why === "crash") {
      for (const r of rows.filter((r) => !r.knobs.includes("plain"))) assert.match(r.message!, /^the reference variant \{.*"order":"plain"\} failed \(crash\): the reference crashed$/);
    }
  }
});

test("a reference outside the sweep that fails is counted among the failures", async () => {
  const { catalog } = fakeCatalog({
    sim: async (k) => {
      if (k.order === "plain") throw new RunFailure("crash", "the reference crashed");
      return ok();
    },
  });
  const spec = { name: "outside", workloads: [{ kind: "fake", space: { order: ["a", "b"] }, options: { reference: { order: "plain" } } }], tools: ["sim"] };
  const summary = await runSweep(spec, { db: newDb(), catalog });
  assert.equal(summary.failed, 2);
  assert.equal(summary.extraRuns, 1);
  assert.deepEqual(summary.failures.map((f) => f.role).sort(), ["point", "point", "reference"]);
});

test("exclusive runs go first, each alone; the others then share the pool", async () => {
  const { catalog, events } = fakeCatalog(
    {
      native: async () => {
        await sleep(5);
        return ok();
      },
      sim: async () => {
        await sleep(5);
        return ok();
      },
    },
    ["native"],
  );
  const spec = { name: "phases", workloads: [{ kind: "fake", space: { v: [1, 2, 3, 4, 5, 6] } }], tools: ["sim", "native"], options: { jobs: 3, driftEvery: 0 } };
  const summary = await runSweep(spec, { db: newDb(), catalog });
  assert.equal(summary.done, 12);
  const natives = events.filter((e) => e.tool === "native");
  const sims = events.filter((e) => e.tool === "sim");
  for (const n of natives) {
    const overlapping = events.filter((e) => e !== n && e.start < n.end && n.start < e.end);
    assert.deepEqual(overlapping, [], "an exclusive run overlaps nothing");
  }
  assert.ok(Math.max(...natives.map((e) => e.end)) < Math.min(...sims.map((e) => e.start)), "every exclusive run comes before the shared ones");
  assert.ok(sims.some((s) => sims.some((t) => t !== s && t.start < s.end && s.start < t.end)), "shared runs do run side by side");
});

test("a build's unexpected error is that variant's crash; a store that fails is thrown, not swallowed", async () => {
  const { catalog } = fakeCatalog({ sim: async () => ok() });
  const buggy: Catalog = {
    ...catalog,
    workload: (kind, options) => ({
      ...catalog.workload(kind, options),
      build: async () => {
        throw new TypeError("a bug in the workload");
      },
    }),
  };
  const summary = await runSweep({ name: "bug", workloads: [{ kind: "fake", space: { v: [1] } }], tools: ["sim"] }, { db: newDb(), catalog: buggy });
  assert.deepEqual(summary.failures.map((f) => [f.reason, f.message]), [["crash", "a bug in the workload"]]);

  const store = openStore(newDb());
  try {
    store.exec("CREATE TRIGGER no_results BEFORE UPDATE ON runs WHEN NEW.status = 'ok' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    const spec = { name: "store", workloads: [{ kind: "fake", space: { v: [1, 2, 3] } }], tools: ["sim"] };
    await assert.rejects(runSweep(spec, { db: store, catalog }), /disk on fire/);
  } finally {
    store.close();
  }
});
