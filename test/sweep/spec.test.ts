import assert from "node:assert/strict";
import { test } from "node:test";
import { isSimlabError, type SimlabError } from "../../src/core/errors.js";
import { parseSpaceText, parseSpec, specFromArgs } from "../../src/sweep/spec.js";
import { expandPoints } from "../../src/sweep/points.js";
import { catalog } from "../../src/sweep/catalog.js";

function specError(raw: unknown): SimlabError {
  try {
    parseSpec(raw, "s.json");
  } catch (e) {
    assert.ok(isSimlabError(e), `expected a SimlabError, got ${String(e)}`);
    return e;
  }
  assert.fail("the spec was accepted");
}

const good = { name: "g", workloads: [{ kind: "gemm", space: { M: [64], order: ["ijk", "ikj"] } }], tools: ["native", "cachegrind"] };

test("a valid spec is normalised with defaults", () => {
  const spec = parseSpec(good, "s.json");
  assert.equal(spec.options.timeout, 120);
  assert.equal(spec.options.retries, 0);
  assert.deepEqual(spec.workloads[0]!.space, { M: [64], order: ["ijk", "ikj"] });
});

test("a bad knob value is one error naming the field path", () => {
  const e = specError({ ...good, workloads: [{ kind: "gemm", space: { tm: [0, "x"] } }] });
  assert.equal(e.message, `s.json: workloads[0].space.tm: expected a list of non-negative integers, got "x"`);
  assert.match(e.hint ?? "", /tile/);
  assert.equal(e.format().split("\n").length, 2);
});

test("unknown knob, tool, workload and field get the closest suggestion", () => {
  assert.match(specError({ ...good, workloads: [{ kind: "gemm", space: { ordr: ["ijk"] } }] }).message, /workloads\[0\]\.space\.ordr: unknown knob for gemm \(did you mean 'order'\?\)/);
  assert.match(specError({ ...good, tools: ["native", "cachegrnd"] }).message, /tools\[1\]: unknown tool "cachegrnd" \(did you mean 'cachegrind'\?\)/);
  assert.match(specError({ ...good, workloads: [{ kind: "gemn", space: {} }] }).message, /workloads\[0\]\.kind: unknown workload "gemn" \(did you mean 'gemm'\?\)/);
  assert.match(specError({ ...good, option: {} }).message, /s\.json: option: unknown field \(did you mean 'options'\?\)/);
  assert.match(specError({ ...good, options: { jobs: 0 } }).message, /options\.jobs: expected an integer ≥ 1, got 0/);
  assert.match(specError({ ...good, workloads: [{ kind: "gemm", space: { order: ["ijk", "ijx"] } }] }).message, /space\.order: "ijx" is not one of/);
});

test("a point the workload rejects is named with its knobs", () => {
  const spec = parseSpec({ ...good, workloads: [{ kind: "gemm", space: { M: [64], tm: [0, 48] } }] });
  assert.throws(() => expandPoints(spec, catalog), (e: unknown) => isSimlabError(e) && /workloads\[0\] point \{"M":64,"tm":48\}: gemm: knob tm=48/.test(e.message));
});

test("several workloads expand into points with their kind, group and defaults", () => {
  const spec = parseSpec({
    name: "mix",
    workloads: [
      { kind: "gemm", space: { M: [64], N: [64], K: [64], order: ["ijk", "ikj"] } },
      { kind: "mvm", space: {} },
    ],
    tools: ["cachegrind"],
  });
  const points = expandPoints(spec, catalog);
  assert.equal(points.filter((p) => p.kind === "gemm").length, 2);
  assert.equal(points.filter((p) => p.kind === "mvm").length, 1);
  assert.equal(points[0]!.group, "gemm M=64 N=64 K=64");
  assert.equal(points[0]!.knobs.unroll, 1, "defaults are filled in");
  assert.equal(points[1]!.reference.order, "ijk");
});

test("inline space text and arguments build the same spec shape", () => {
  assert.deepEqual(parseSpaceText(" M=64,128  order=ijk,ikj "), { M: [64, 128], order: ["ijk", "ikj"] });
  assert.throws(() => parseSpaceText("M"), /'M' is not knob=value/);
  const a = specFromArgs({ workload: "gemm", space: "M=64 order=ijk,ikj", tools: ["cachegrind"], reps: 3 });
  const b = specFromArgs({ workload: "gemm", space: "M=64 order=ijk,ikj", tools: ["cachegrind"], reps: 3 });
  assert.equal(a.name, b.name, "the same inline sweep gets the same name, so it resumes");
  assert.match(a.name, /^gemm-[0-9a-f]{8}$/);
  assert.equal(a.options.reps, 3);
  assert.throws(() => specFromArgs({ spec: "x.json", workload: "gemm" }), /--workload cannot be combined with a spec file/);
});
