import { test } from "node:test";
import assert from "node:assert/strict";
import { functionCounts, parseCachegrind, parseCallgrindSummary, parseKeyValueStats } from "../../src/sim/index.js";
import { isSimlabError } from "../../src/core/errors.js";

const GOOD = `desc: I1 cache:         32768 B, 64 B, 8-way associative
cmd: ./prog sim
events: Ir Dr D1mr
fl=???
fn=main
0 10 4 1
fn=kernel
0 100 40 3
5 50 20
fl=other.c
fn=kernel.constprop.0
1 7 2 1
summary: 167 66 5
`;

const malformed = (pattern: RegExp) => (e: unknown) => isSimlabError(e) && /malformed cachegrind output prog\.out/.test(e.message) && pattern.test(e.message) && !!e.hint;

test("cachegrind output: events, totals and per-function counts (with omitted trailing zeros and clones)", () => {
  const profile = parseCachegrind(GOOD, "prog.out");
  assert.deepEqual(profile.events, ["Ir", "Dr", "D1mr"]);
  assert.deepEqual(profile.totals, [167, 66, 5]);
  assert.deepEqual(profile.functions.get("main"), [10, 4, 1]);
  assert.deepEqual(functionCounts(profile, "kernel"), [157, 62, 4]);
  assert.equal(functionCounts(profile, "absent"), undefined);
});

test("malformed cachegrind files give one clear error each", () => {
  const truncated = GOOD.slice(0, GOOD.indexOf("summary:"));
  assert.throws(() => parseCachegrind(truncated, "prog.out"), malformed(/no summary/));
  assert.throws(() => parseCachegrind(GOOD.replace("events: Ir Dr D1mr\n", ""), "prog.out"), malformed(/before the events/));
  assert.throws(() => parseCachegrind("fn=x\n", "prog.out"), malformed(/no events/));
  assert.throws(() => parseCachegrind(GOOD.replace("5 50 20", "5 fifty 20"), "prog.out"), malformed(/'fifty' is not a count/));
  assert.throws(() => parseCachegrind(GOOD.replace("5 50 20", "5 50 20 1 1"), "prog.out"), malformed(/4 counts for 3 events/));
  assert.throws(() => parseCachegrind(GOOD.replace("0 10 4 1", "0 11 4 1"), "prog.out"), malformed(/Ir rows add up to 168 but summary says 167/));
  assert.throws(() => parseCachegrind(GOOD.replace("fn=main", "<html>"), "prog.out"), malformed(/unexpected line '<html>'/));
  assert.throws(() => parseCachegrind("", "prog.out"), malformed(/no events/));
});

test("callgrind summary: events and totals, malformed files rejected", () => {
  const text = "# callgrind format\nversion: 1\npositions: line\nevents: Ir Dr\nsummary: 1839110 20\n\nfn=(1) main\n0 5\ntotals: 1839110 20\n";
  assert.deepEqual(parseCallgrindSummary(text, "c.out"), { events: ["Ir", "Dr"], totals: [1839110, 20] });
  assert.deepEqual(parseCallgrindSummary("events: Ir Dr\ntotals: 7\n", "c.out").totals, [7, 0]);
  assert.throws(() => parseCallgrindSummary("summary: 5\n", "c.out"), (e) => isSimlabError(e) && /c\.out: no events/.test(e.message));
  assert.throws(() => parseCallgrindSummary("events: Ir\n", "c.out"), (e) => isSimlabError(e) && /no summary/.test(e.message));
  assert.throws(() => parseCallgrindSummary("events: Ir\nsummary: x\n", "c.out"), (e) => isSimlabError(e) && /does not match/.test(e.message));
});

test("key/value and JSON-line statistics", () => {
  const stats = parseKeyValueStats(
    [
      "insns=123456",
      "cycles: 1,234,567",
      "  I refs:      2,000  ",
      "ratio = 0.25",
      "neg=-1.5e-3",
      '{"cache": {"hits": 10, "misses": 2}, "name": "x", "list": [1, 2]}',
      "{not json",
      "free text without numbers",
      "version: 3.19.0",
      "label=fast",
    ].join("\n"),
  );
  assert.deepEqual(stats, { insns: 123456, cycles: 1234567, I_refs: 2000, ratio: 0.25, neg: -0.0015, "cache.hits": 10, "cache.misses": 2 });
});
