import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildC, processesMentioning, removeScratch, scratch } from "./c-fixtures.js";

const HANG = `int main(void) { for (;;) {} }`;
const runProcessModule = fileURLToPath(new URL("../../src/proc/run-process.js", import.meta.url));

test("when simlab is SIGKILLed, the simulator it started dies with it", async () => {
  const dir = await scratch();
  try {
    const program = await buildC(HANG, dir);
    const script = `import { runProcess } from ${JSON.stringify(runProcessModule)};
      runProcess("valgrind", ["--tool=none", ${JSON.stringify(program.binary)}], { signal: new AbortController().signal, timeoutMs: 60000 });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (processesMentioning(program.binary).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(processesMentioning(program.binary).length > 0, "the simulation started");
    parent.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(processesMentioning(program.binary), []);
  } finally {
    await removeScratch(dir);
  }
});
