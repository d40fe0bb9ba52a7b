import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isSimlabError } from "../../src/core/errors.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { recordingContext } from "./context.js";

function cell(text: string): MagicPart {
  return splitCell(text)[0] as MagicPart;
}

/**
 * Whether a process (or any member of a process group) is still running. Zombies count as gone: killed
 * orphans are reparented to PID 1, which may not reap them in a container.
 */
function alive(pid: number, group = false): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const matches = group ? Number(pgrp) === pid : Number(entry) === pid;
    if (matches && state !== "Z") return true;
  }
  return false;
}

/** Waits up to `ms` for a process (group) to be gone; an exiting process briefly outlives its closed pipes. */
async function goneWithin(pid: number, group: boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid, group)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

async function simlabMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isSimlabError(e), String(e));
    return e.message;
  }
  return assert.fail("expected a SimlabError");
}

test("%%sh streams output as it arrives", async () => {
  const chunks: { text: string; at: number }[] = [];
  const { ctx, stderr } = recordingContext();
  ctx.stdout = (text) => chunks.push({ text, at: Date.now() });
  const start = Date.now();
  await runMagic(cell("%%sh\necho one\nsleep 0.4\necho two\necho err >&2"), ctx);
  const done = Date.now();
  assert.equal(chunks.map((c) => c.text).join(""), "one\ntwo\n");
  assert.equal(stderr(), "err\n");
  assert.ok(chunks[0]!.at - start < done - start - 300, "the first line must arrive before the script ends");
});

test("interrupting %%sh kills the whole process group within 1 s, even if it ignores SIGTERM", async () => {
  const controller = new AbortController();
  const { ctx, stdout } = recordingContext({ signal: controller.signal });
  let pgid = 0;
  ctx.stdout = (text) => {
    pgid ||= Number(text.trim().split("\n")[0]);
  };
  const running = runMagic(cell("%%sh\ntrap '' TERM\necho $$\nsleep 30 &\nsleep 30\necho never"), ctx);
  while (pgid === 0) await new Promise((r) => setTimeout(r, 20));
  assert.ok(alive(pgid, true));
  await new Promise((r) => setTimeout(r, 100));
  const abortedAt = Date.now();
  controller.abort();
  const message = await simlabMessage(running);
  assert.equal(message, "%%sh: interrupted; the script and everything it started were stopped");
  assert.ok(Date.now() - abortedAt < 1000, `took ${Date.now() - abortedAt} ms`);
  assert.ok(await goneWithin(pgid, true, 1000 - (Date.now() - abortedAt)), "no process of the group may survive 1 s");
  assert.ok(!stdout().includes("never"));
});

test("background jobs do not outlive the script", async () => {
  let jobPid = 0;
  const { ctx } = recordingContext();
  ctx.stdout = (text) => {
    jobPid = Number(text.trim());
  };
  const start = Date.now();
  await runMagic(cell("%%sh\nsleep 30 &\necho $!"), ctx);
  assert.ok(jobPid > 0);
  assert.ok(Date.now() - start < 2000);
  assert.ok(await goneWithin(jobPid, false, 1000), "the background job must be killed");
});

test("non-zero exit is an error with the exit code unless --no-check", async () => {
  const { ctx } = recordingContext();
  assert.equal(await simlabMessage(runMagic(cell("%%sh\nexit 3"), ctx)), "%%sh: the script exited with code 3");
  assert.equal((await runMagic(cell("%%sh --no-check\nexit 3"), ctx)).value, undefined);
  assert.equal(await simlabMessage(runMagic(cell("%%sh --shell zsh\ntrue"), ctx)), "%%sh: option --shell must be one of sh, bash, got 'zsh' (did you mean sh?)");
});

test("--cwd and --shell bash", async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "simlab-sh-")));
  try {
    const { ctx, stdout } = recordingContext();
    await runMagic(cell(`%%sh --cwd ${dir} --shell bash\npwd\necho "bash=\${BASH_VERSION:+yes}"`), ctx);
    assert.equal(stdout(), `${dir}\nbash=yes\n`);
    assert.equal(await simlabMessage(runMagic(cell(`%%sh --cwd ${dir}/nope\ntrue`), ctx)), `%%sh: option --cwd: no such directory: ${dir}/nope`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
