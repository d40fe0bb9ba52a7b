import assert from "node:assert/strict";
import { test } from "node:test";
import { installKernel, runPython } from "./helpers.js";

test("1,000 random magic lines through jupyter_client: each ends ok, as a one-line SimlabError or as TypeScript diagnostics, and the kernel keeps working", async () => {
  const kernel = await installKernel();
  try {
    const run = await runPython("magic_fuzz.py", ["2025"], kernel, 240_000);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
      counts: { ok: number; simlab_error: number; compile_error: number };
      bad: unknown[];
      bad_count: number;
      after: string;
      alive: boolean;
    };
    assert.equal(summary.bad_count, 0, `not a clean SimlabError: ${JSON.stringify(summary.bad, null, 1)}`);
    assert.equal(summary.counts.ok + summary.counts.simlab_error + summary.counts.compile_error, 1000);
    assert.ok(summary.counts.simlab_error > 500, `expected mostly errors, got ${JSON.stringify(summary.counts)}`);
    assert.equal(summary.after, "42");
    assert.equal(summary.alive, true);
  } finally {
    kernel.cleanup();
  }
});
