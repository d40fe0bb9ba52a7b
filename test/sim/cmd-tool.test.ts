import { test } from "node:test";
import assert from "node:assert/strict";
import { toolFor } from "../../src/sim/index.js";
import { isSimlabError } from "../../src/core/errors.js";
import { buildC, context, removeScratch, scratch } from "./c-fixtures.js";

const PROGRAM = `#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { printf("checksum 42\\nmode=%d\\n", argc > 1 && strcmp(argv[1], "sim") == 0); return 0; }`;

test("cmd: runs the template, parses its statistics and the program's checksum", async () => {
  const dir = await scratch();
  try {
    const program = await buildC(PROGRAM, dir, "kernel");
    const direct = await toolFor("cmd:{binary} {args}").run(program, context(dir));
    assert.deepEqual(direct.stats, { mode: 1 });
    assert.equal(direct.checksum, "42");
    const wrapped = await toolFor(`cmd:{binary} {args}; echo '{"sim": {"insns": 99}}'; echo kernel_is: 7 # {kernel}`).run(program, context(dir));
    assert.deepEqual(wrapped.stats, { mode: 1, "sim.insns": 99, kernel_is: 7 });
    const viaFile = await toolFor("cmd:{binary} {args} > /dev/null; echo 'cycles: 1,000' > {out}").run(program, context(dir));
    assert.deepEqual(viaFile.stats, { cycles: 1000 });
    assert.ok(viaFile.wallSeconds > 0);
    assert.equal(toolFor("cmd:sim {binary}").name, "cmd:sim {binary}");
    assert.notEqual(toolFor("cmd:a {binary}").cacheKey(), toolFor("cmd:b {binary}").cacheKey());
    assert.throws(() => toolFor("cmd:sim {binry}"), (e) => isSimlabError(e) && /\{binry\}/.test(e.message) && /\{binary\}/.test(e.hint!));
    assert.throws(() => toolFor("cmd:"), (e) => isSimlabError(e));
  } finally {
    await removeScratch(dir);
  }
});
