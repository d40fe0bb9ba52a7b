import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { candidates, confirmGroup, parseConfirmOptions, DEFAULT_CONFIRM } from "../../src/sim/confirm.js";
import { isSimlabError } from "../../src/core/errors.js";
import { openStore, wideColumns } from "../../src/store/index.js";
import { runSweep } from "../../src/sweep/index.js";
import { sweepFromArgs } from "../../src/sweep/arguments.js";
import { cfileProgram } from "../workloads/cfile-program.js";

test("candidates: the variants within the margin of the best, best first", () => {
  const first = new Map([["a", 1.1], ["b", 1.0], ["c", 1.04], ["d", 2.0]]);
  assert.deepEqual(candidates(first, 0.05), ["b", "c"]);
  assert.deepEqual(candidates(first, 0.2), ["b", "c", "a"]);
});

test("confirmGroup: rounds interleave the candidates, stop when the order is stable, keep the minimum and the spread", async () => {
  const calls: string[] = [];
  const times: Record<string, number[]> = { a: [0.9, 0.95, 0.97, 0.96], b: [1.2, 1.1, 1.3, 1.2] };
  const measure = async (key: string) => (calls.push(key), times[key]!.shift());
  const first = new Map([["a", 1.0], ["b", 1.02]]);
  const confirmed = await confirmGroup(first, measure, { within: 0.05, rounds: 6, stable: 2 });
  // round 1 already makes a the faster (unchanged order), rounds 2 and 3 leave it so: stable after 2 → 2 rounds.
  assert.deepEqual(calls, ["a", "b", "b", "a"], "rotating who goes first");
  assert.deepEqual(confirmed.get("a"), { runtime_min_s: 0.9, runtime_first_min_s: 1.0, confirm_rounds: 2, confirm_spread: (1.0 - 0.9) / 0.9 });
  assert.equal(confirmed.get("b")!.runtime_min_s, 1.02);

  // an order that flips every round runs until the budget is spent
  let call = 0;
  const flip = async (key: string) => {
    const round = Math.floor(call++ / 2);
    return key === (round % 2 === 0 ? "y" : "x") ? 1 - 0.01 * (round + 1) : 5;
  };
  const flipping = await confirmGroup(new Map([["x", 1], ["y", 1.001]]), flip, { within: 0.05, rounds: 3, stable: 1 });
  assert.equal(flipping.get("x")!.confirm_rounds, 3);
  assert.equal(flipping.get("y")!.runtime_min_s, 0.97);
  // a single candidate needs no rounds; a failed re-measurement keeps what the candidate had
  assert.equal((await confirmGroup(new Map([["only", 1]]), async () => 0.1, DEFAULT_CONFIRM)).get("only")!.confirm_rounds, 0);
  const failing = await confirmGroup(new Map([["p", 1], ["q", 1.01]]), async () => undefined, DEFAULT_CONFIRM);
  assert.deepEqual(failing.get("p"), { runtime_min_s: 1, runtime_first_min_s: 1, confirm_rounds: 2, confirm_spread: 0 });
});

test("confirm options: defaults, and one line naming the field for a mistake", () => {
  assert.deepEqual(parseConfirmOptions(true), DEFAULT_CONFIRM);
  assert.deepEqual(parseConfirmOptions({ within: 0.1 }), { ...DEFAULT_CONFIRM, within: 0.1 });
  for (const [raw, pattern] of [
    [{ within: -1 }, /confirm\.within: expected a positive fraction/],
    [{ rounds: 0 }, /confirm\.rounds: expected an integer ≥ 1/],
    [{ round: 3 }, /confirm\.round: unknown field/],
    [{ rounds: 2, stable: 3 }, /stable \(3\) exceeds rounds \(2\)/],
    ["yes", /expected \{"within"/],
  ] as const) {
    assert.throws(() => parseConfirmOptions(raw), (e) => isSimlabError(e) && pattern.test(e.message) && !!e.hint, JSON.stringify(raw));
  }
});

// Variants whose runtimes are known in advance, so the test does not depend on timing noise: TWIN changes nothing
// (its two values build the same program, within noise of each other), WORK=4 repeats the sum four times (about 4×
// slower, well outside the margin). Each run takes a few milliseconds, long enough for a stable minimum of 3.
const TWINS_C = cfileProgram(`#define N (1 << 21)
static float a[N];
static double acc;
__attribute__((noinline)) void kernel(void) {
  double s = 0;
  for (int w = 0; w < WORK; w++)
    for (int i = 0; i < N; i++) s += a[i];
  acc = s / WORK;
}
static void init(void) { for (int i = 0; i < N; i++) a[i] = (float)(i % 5); }
`);

test("a sweep with --confirm re-measures each group's near-best variants with real gcc and stores the confirmed minimum", async () => {
  assert.deepEqual(sweepFromArgs({ workload: "gemm", space: "M=48 N=48 K=48", tools: ["native"], confirm: true }).spec.options.tools.native?.confirm, true);
  const dir = mkdtempSync(join(tmpdir(), "simlab-confirm-"));
  try {
    const db = join(dir, "s.db");
    const file = join(dir, "twins.c");
    writeFileSync(file, TWINS_C);
    const spec = {
      name: "confirm-test",
      workloads: [{ kind: "cfile", space: { WORK: [1, 4], TWIN: [0, 1] }, options: { file, reference: { WORK: 1, TWIN: 0 } } }],
      tools: ["native"],
      options: { reps: 3, tools: { native: { confirm: { within: 0.3, rounds: 3, stable: 2 } } } },
    };
    const summary = await runSweep(spec, { db });
    assert.equal(summary.failed, 0);
    const store = openStore(db, { readonly: true });
    const { columns, rowCount } = wideColumns(store, "confirm-test");
    store.close();
    const rows = Array.from({ length: rowCount }, (_, i) => ({
      min: columns.runtime_min_s![i] as number,
      first: columns.runtime_first_min_s![i] as number | null,
      rounds: columns.confirm_rounds![i] as number,
      spread: columns.confirm_spread![i] as number | null,
    }));
    const confirmed = rows.filter((r) => r.rounds > 0);
    assert.equal(confirmed.length, 2, `the two twins are the candidates: ${JSON.stringify(rows)}`);
    assert.ok(summary.extraRuns >= confirmed.length * 2, "every candidate ran at least twice more");
    const bestFirst = Math.min(...rows.map((r) => r.first ?? r.min)); // candidates are chosen on the first measurements
    for (const r of confirmed) {
      assert.ok(r.rounds >= 2 && r.rounds <= 3, `rounds ${r.rounds}`);
      assert.ok(r.min <= r.first!, "the confirmed minimum is at most the first");
      assert.ok(r.spread! >= 0 && r.spread! < 5);
      assert.ok(r.first! <= bestFirst * 1.3, "only near-best variants are candidates");
    }
    for (const r of rows.filter((r) => r.rounds === 0)) {
      assert.equal(r.first, null, "the others keep their single measurement");
      assert.ok(r.min > bestFirst * 1.3, "and were not within the margin");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a malformed confirm option stops the sweep before anything runs", async () => {
  const spec = { name: "bad-confirm", workloads: [{ kind: "gemm", space: { M: [16], N: [16], K: [16] } }], tools: ["native"], options: { tools: { native: { confirm: { within: 0 } } } } };
  await assert.rejects(runSweep(spec, { db: ":memory:" }), (e) => isSimlabError(e) && /native\.confirm\.within/.test(e.message));
});
