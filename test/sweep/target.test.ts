import assert from "node:assert/strict";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { parseSpec, specFromArgs } from "../../src/sweep/spec.js";
import { parseArgs } from "../../src/args/parse.js";
import { sweepFromArgs, sweepOptions, sweepPositionals } from "../../src/sweep/arguments.js";

const good = { name: "g", workloads: [{ kind: "gemm", space: { M: [16], order: ["ijk", "ikj"] } }], tools: ["native", "cachegrind"] };

function specError(raw: unknown): string {
  try {
    parseSpec(raw, "s.json");
  } catch (e) {
    assert.ok(isSimlabError(e), `expected a SimlabError, got ${String(e)}`);
    assert.equal(e.message.includes("\n"), false, "one line");
    return e.message;
  }
  assert.fail("the spec was accepted");
}

test("a spec's target is validated field by field, one line each", () => {
  const spec = parseSpec({ ...good, target: { ssh: "root@board", port: 2222, isa: "aarch64", cpu: 1, identity: "/k", knownHosts: "/kh" } }, "s.json");
  assert.deepEqual(spec.target, { ssh: "root@board", port: 2222, isa: "aarch64", cpu: 1, identity: "/k", knownHosts: "/kh" });
  assert.equal(parseSpec(good, "s.json").target, undefined);
  assert.equal(specError({ ...good, target: "root@board" }), 's.json: target: expected an object like {"ssh": "user@host"}, got "root@board"');
  assert.equal(specError({ ...good, target: { ssh: "root@board", port: 70000 } }), "s.json: target.port: expected a port number 1–65535, got 70000");
  assert.equal(specError({ ...good, target: { ssh: "a b" } }), 's.json: target.ssh: expected "user@host" or "host", got "a b"');
  assert.equal(specError({ ...good, target: { ssh: "b", cpu: -1 } }), "s.json: target.cpu: expected a CPU number ≥ 0, got -1");
  assert.equal(specError({ ...good, target: { ssh: "b", isa: 3 } }), "s.json: target.isa: expected a non-empty string, got 3");
  assert.match(specError({ ...good, target: { ssh: "b", prot: 22 } }), /^s\.json: target\.prot: unknown field \(did you mean 'port'\?\)$/);
});

test("--target ssh:user@host[:port] on %sweep / simlab sweep sets the spec's target; a bad one is one line", () => {
  const parsed = parseArgs({ name: "sweep", summary: "", positionals: sweepPositionals, options: sweepOptions }, '--workload gemm --space "M=16 order=ijk" --target ssh:root@127.0.0.1:2222');
  assert.equal(parsed.help, false);
  const { spec } = sweepFromArgs(parsed.args);
  assert.deepEqual(spec.target, { ssh: "root@127.0.0.1", port: 2222 });
  // A board's sweep is named apart from the host's; without a target the name is what it always was.
  const host = specFromArgs({ workload: "gemm", space: "M=16 order=ijk" });
  assert.notEqual(spec.name, host.name);
  assert.equal(host.target, undefined);
  assert.throws(() => specFromArgs({ workload: "gemm", target: "root@board" }), /--target: expected ssh:user@host\[:port\], got 'root@board'/);
});
