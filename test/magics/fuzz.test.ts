import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { splitCell } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { recordingContext } from "./context.js";
import { mulberry32 as rng } from "../../src/core/random.js";

const names = ["lsmagic", "time", "cd", "env", "sh", "tiem", "load", "sweep", "fit", "plot", "", "lsmagic?", "c d", "énv", "time?"];
const words = [
  "--help", "-h", "-r", "--repeat", "--repeat=x", "--repeat=3", "-r0", "--no-check", "--cwd", "--shell", "bash", "zsh", "--",
  "-", "~", "/", ".", "..", "/nonexistent", "NAME=value", "A", "1BAD=x", "-> x", "-> 2x", "->", "'", '"', "\\", "'a b'", '"c \\" d"',
  "ünïcödé", "→", "🙂", "\u0000", "$HOME", "`x`", "${y}", "%", "%%", "?", "-?", "-x", "--x=", "=", ",", "1,2,,3", "-1", "1e309", "NaN",
];
const garbage = "abc%$#@!-=_'\"\\ ,.;:?/~`{}()[]<>\t";

function randomLine(next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const prefix = next() < 0.15 ? "%%" : "%";
  const parts = [prefix + pick(names)];
  const count = Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    if (next() < 0.7) parts.push(pick(words));
    else parts.push(Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick([...garbage])).join(""));
  }
  return parts.join(next() < 0.9 ? " " : "");
}

test("1,000 random magic lines give a result or a one-line SimlabError, never a crash or a hang", async () => {
  const next = rng(20250101);
  const startDir = process.cwd();
  const envBefore = { ...process.env };
  const sandbox = mkdtempSync(join(tmpdir(), "simlab-fuzz-"));
  process.chdir(sandbox);
  let errors = 0;
  try {
    for (let i = 0; i < 1000; i++) {
      const line = randomLine(next);
      const { ctx } = recordingContext({ signal: AbortSignal.timeout(5000) });
      const parts = splitCell(line);
      for (const part of parts) {
        if (part.kind !== "magic") continue;
        try {
          const result = await Promise.race([
            runMagic(part, ctx),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`hang on ${JSON.stringify(line)}`)), 5000).unref()),
          ]);
          assert.equal(typeof result, "object");
        } catch (e) {
          assert.ok(isSimlabError(e), `line ${i} ${JSON.stringify(line)} threw ${String(e)}`);
          assert.ok(e.message.length > 0 && !e.message.includes("\n"), `multi-line message for ${JSON.stringify(line)}: ${e.message}`);
          errors++;
        }
      }
      if (process.cwd() !== sandbox) process.chdir(sandbox);
    }
  } finally {
    process.chdir(startDir);
    for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
    Object.assign(process.env, envBefore);
    rmSync(sandbox, { recursive: true, force: true });
  }
  assert.ok(errors > 300 && errors < 1000, `expected a mix of successes and errors, got ${errors} errors`);
});
