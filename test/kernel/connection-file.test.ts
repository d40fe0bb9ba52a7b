/**
 * Issue 14 item 14: the real kernel process refuses a connection file it cannot sign with (unknown scheme,
 * non-string key) at start — one line, non-zero exit — and warns on stderr when signing is off.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCommand, simlabMain } from "../notebook/cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "simlab-conn-"));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function connectionFile(name: string, fields: Record<string, unknown>): Promise<string> {
  const ports = { shell_port: await freePort(), iopub_port: await freePort(), stdin_port: await freePort(), control_port: await freePort(), hb_port: await freePort() };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256", key: "a-key", ...ports, ...fields }));
  return path;
}

const refusals: [string, Record<string, unknown>, RegExp][] = [
  ["unknown scheme", { signature_scheme: "hmac-nope" }, /unsupported signature scheme 'hmac-nope'/],
  ["not hmac", { signature_scheme: "rsa-sha256" }, /unsupported signature scheme 'rsa-sha256'/],
  ["numeric key", { key: 12345 }, /key must be a string, not 12345/],
  ["object key", { key: { k: 1 } }, /key must be a string/],
];

for (const [what, fields, pattern] of refusals) {
  test(`the kernel refuses a connection file with ${what} at start`, async () => {
    const file = await connectionFile(`${what.replace(/ /g, "-")}.json`, fields);
    const result = await runCommand([process.execPath, simlabMain, "kernel", "-f", file], { timeoutMs: 30_000 });
    assert.equal(result.code, 1, `exit ${result.code}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.match(result.stderr, /^simlab kernel: connection file .* \n?/);
    assert.match(result.stderr, /\nhint: /);
    assert.doesNotMatch(result.stderr, /^\s+at /m, result.stderr);
    assert.equal(result.stderr.trim().split("\n").length, 2, result.stderr);
  });
}

test("a connection file without a key: the kernel runs but warns on stderr that messages are not signed", async () => {
  const file = await connectionFile("no-key.json", { key: undefined });
  const child = spawn(process.execPath, [simlabMain, "kernel", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const warned = new Promise<void>((resolve) =>
    child.stderr.setEncoding("utf8").on("data", (t: string) => {
      stderr += t;
      if (/not signed/.test(stderr)) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await Promise.race([warned, exited]);
  assert.match(stderr, /simlab kernel: warning: .*no-key\.json has no key, so messages are not signed/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(child.exitCode, null, `the kernel should keep running: ${stderr}`);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  clearTimeout(timer);
});
