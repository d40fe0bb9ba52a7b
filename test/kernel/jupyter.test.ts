/** The kernel driven by Debian's jupyter_client: conformance suite, interrupts, stop_on_error, signatures, bindings, watchdog. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type InstalledKernel, installKernel, isAlive, lastJson, python, runPython } from "./helpers.js";

let kernel: InstalledKernel;
before(async () => {
  kernel = await installKernel();
});
after(() => kernel.cleanup());

test("Debian's kernel conformance suite passes against the installed kernel", async () => {
  const { code, stderr } = await runPython("conformance.py", [], kernel);
  assert.match(stderr, /Ran \d+ tests/);
  assert.doesNotMatch(stderr, /FAIL|ERROR/, stderr);
  assert.equal(code, 0, stderr);
});

type InterruptCase = `${"message" | "signal"}-${"sync" | "timer" | "microtask"}`;
type Report = Record<InterruptCase, { elapsed: number; status: string; ename: string; next: string }> & {
  stop_on_error: { statuses: string[]; after: string };
  no_stop_on_error: string[];
  bad_signature_answered: boolean;
  good_after_bad: string;
  binding: { bind: string; rows: string; mistyped: string; mistyped_text: string; html: boolean; plain: string };
  bad_magic: { ename: string; evalue: string };
  after_bad_magic: string;
  input: { prompt: string; parent_is_execute: boolean; status: string; result: string };
  input_refused: { ename: string; evalue: string };
  restart: { new_process: boolean; fresh: string; works: string };
  cd: { status: string; printed: string; cwd: string; fs: string; require: string; load: string; chdir_error: string; back: string; cwd_after_back: string };
};

test("interrupts, stop_on_error, signatures and bindings behave", async (t) => {
  const { code, stdout, stderr } = await runPython("behaviour.py", [kernel.workdir], kernel);
  assert.equal(code, 0, stderr);
  const report = lastJson<Report>(stdout);

  await t.test("each interrupt (message and SIGINT) stops the cell within 1 s and the next cell runs with state kept", () => {
    for (const how of ["message", "signal"] as const) {
      for (const loop of ["sync", "timer", "microtask"] as const) {
        const r = report[`${how}-${loop}`];
        assert.ok(r.elapsed < 1, `${how}-${loop} took ${r.elapsed}s`);
        assert.equal(r.status, "error", `${how}-${loop}`);
        assert.equal(r.ename, "Interrupted", `${how}-${loop}`);
        assert.equal(r.next, "42", `${how}-${loop}: the next cell must run and see earlier variables`);
      }
    }
  });

  await t.test("restart starts a fresh kernel process on the same connection", () => {
    assert.equal(report.restart.new_process, true);
    assert.match(report.restart.fresh, /Cannot find name 'kept'/, "the old kernel's variables are gone");
    assert.equal(report.restart.works, "42");
  });

  await t.test("stop_on_error aborts only the queued cells", () => {
    assert.deepEqual(report.stop_on_error.statuses, ["error", "aborted", "aborted"]);
    assert.equal(report.stop_on_error.after, "45");
    assert.deepEqual(report.no_stop_on_error, ["error", "ok"]);
  });

  await t.test("a badly signed message is dropped and good ones are still answered", () => {
    assert.equal(report.bad_signature_answered, false);
    assert.equal(report.good_after_bad, "ok");
    assert.match(stderr, /dropped a message on shell: bad HMAC signature/);
  });

  await t.test("a magic binding is a typed variable; tables display as HTML and text", () => {
    assert.equal(report.binding.bind, "ok");
    assert.equal(report.binding.rows, "3");
    assert.equal(report.binding.mistyped, "CompileError");
    assert.match(report.binding.mistyped_text, /not assignable to type 'string'/);
    assert.equal(report.binding.html, true);
    assert.match(report.binding.plain, /3 rows × 2 columns/);
  });

  await t.test("a bad magic argument is one SimlabError with usage, and the kernel keeps working", () => {
    assert.equal(report.bad_magic.ename, "SimlabError");
    assert.match(report.bad_magic.evalue, /unknown option --no-such-option/);
    assert.match(report.bad_magic.evalue, /usage: %load/);
    assert.equal(report.after_bad_magic, "41");
  });

  await t.test("input() asks the frontend through stdin and resolves to its answer; without allow_stdin it is a clear error", () => {
    assert.deepEqual(report.input, { prompt: "name? ", parent_is_execute: true, status: "ok", result: "'hi simlab'" });
    assert.equal(report.input_refused.ename, "SimlabError");
    assert.match(report.input_refused.evalue, /does not accept input/);
  });

  await t.test("%cd moves the directory user code, require and later magics resolve against; %cd - goes back", () => {
    const sub = join(kernel.workdir, "sub dir");
    assert.equal(report.cd.status, "ok");
    assert.equal(report.cd.printed.trim(), sub);
    assert.equal(report.cd.cwd, `'${sub}'`);
    assert.equal(report.cd.fs, "'from the subfolder'");
    assert.equal(report.cd.require, "'required from the subfolder'");
    assert.equal(report.cd.load, "2");
    assert.match(report.cd.chdir_error, /ENOENT|no such file/);
    assert.equal(report.cd.back, "ok");
    assert.equal(report.cd.cwd_after_back, `'${kernel.workdir}'`);
  });
});

test("the kernel exits when the process that started it is killed", async () => {
  const parent = python("orphan_parent.py", [kernel.workdir], kernel.env, kernel.workdir);
  let stdout = "";
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("\n")) resolve(lastJson<{ kernel_pid: number }>(stdout).kernel_pid);
    });
    parent.on("exit", (code) => reject(new Error(`parent exited early (${code})`)));
  });
  assert.ok(isAlive(pid), "kernel runs while its parent lives");
  parent.kill("SIGKILL");
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const alive = isAlive(pid);
  if (alive) process.kill(pid, "SIGKILL");
  assert.equal(alive, false, "kernel still running 5 s after its parent died");
});

test("nbconvert executes a notebook: outputs carry execution counts and an error is a real error output", async () => {
  const { execFile } = await import("node:child_process");
  const { readFileSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const cell = (source: string) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "simlab", display_name: "TypeScript (simlab)", language: "typescript" } },
    cells: [cell("const answer: number = 6 * 7;\nanswer"), cell('throw new TypeError("bad input")')],
  };
  const input = join(kernel.workdir, "nbconvert-check.ipynb");
  writeFileSync(input, JSON.stringify(notebook));
  await new Promise<void>((resolve, reject) =>
    execFile("/usr/bin/python3", ["-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--output", "executed.ipynb", input], { env: kernel.env, cwd: kernel.workdir }, (e) => (e ? reject(e) : resolve())),
  );
  const executed = JSON.parse(readFileSync(join(kernel.workdir, "executed.ipynb"), "utf8")) as {
    cells: { execution_count: number | null; outputs: { output_type: string; data?: Record<string, string | string[]>; ename?: string; evalue?: string }[] }[];
  };
  const [first, second] = executed.cells;
  assert.equal(first!.execution_count, 1);
  assert.deepEqual(first!.outputs.map((o) => [o.output_type, [o.data?.["text/plain"] ?? ""].flat().join("")]), [["execute_result", "42"]]);
  assert.equal(second!.execution_count, 2);
  assert.equal(second!.outputs[0]!.output_type, "error");
  assert.equal(second!.outputs[0]!.ename, "TypeError");
  assert.equal(second!.outputs[0]!.evalue, "bad input");
});
