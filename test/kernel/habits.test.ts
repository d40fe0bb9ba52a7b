/** IPython habits (%who, %whos, %timeit, %pwd, %ls, !cmd, %reset, pager help), kept state and %history through real jupyter_client. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type InstalledKernel, installKernel, lastJson, runPython } from "./helpers.js";

interface Report {
  kept: { interrupted: string; spins: string; typed: string; failed: string; partial: string };
  traceback: { count: number; lines: string[] };
  who: string;
  who_number: string;
  whos: string;
  timeit: string;
  timeit_n: string;
  timeit_bound: string;
  pwd: string;
  ls: string;
  shell: { status: string; stdout: string; stderr: string };
  shell_interrupt: { elapsed: number; ename: string; next: string };
  magic_help: { pages: string[]; stdout: string };
  obj_help: string[];
  value_help: string[];
  missing_help: string;
  html_result: string[][];
  cell_html: string[];
  history: string;
  reset: string;
  after_reset: { ename: string; evalue: string; works: string };
  reset_refused: string;
}

let kernel: InstalledKernel;
let report: Report;
before(async () => {
  kernel = await installKernel();
  const { code, stdout, stderr } = await runPython("habits.py", [kernel.workdir], kernel, 120_000);
  assert.equal(code, 0, stderr);
  report = lastJson<Report>(stdout);
});
after(() => kernel.cleanup());

test("variables assigned before an interrupt or an error stay readable, with their types", () => {
  assert.equal(report.kept.interrupted, "Interrupted");
  assert.equal(report.kept.spins, "true");
  assert.equal(report.kept.typed, "ok");
  assert.equal(report.kept.failed, "Error");
  assert.equal(report.kept.partial, "[ 1, 2, 3 ]");
});

test("a runtime error names the cell (In [n]) and the TypeScript line", () => {
  const { count, lines } = report.traceback;
  assert.deepEqual(lines, ["Error: boom", `    at boom (In [${count}], line 3)`, `    at In [${count}], line 5`]);
});

test("%who and %whos list the notebook's variables with types and short values", () => {
  const names = report.who.trim().split("\t");
  for (const name of ["addUp", "label", "partial", "ratio", "spins", "xs"]) assert.ok(names.includes(name), `${name} in ${report.who}`);
  assert.ok(!names.includes("display") && !names.includes("html"), "the kernel's own globals are not listed");
  assert.deepEqual(report.who_number.trim().split("\t"), ["before", "ratio", "s", "spins", "warm"]);
  assert.match(report.whos, /^Variable\s+Type\s+Data\/Info\n-+\n/);
  assert.match(report.whos, /\nratio\s+number\s+0\.5\n/);
  assert.match(report.whos, /\nlabel\s+string\s+'gemm'\n/);
  assert.match(report.whos, /\nxs\s+Float64Array\s+length 8\n/);
  assert.match(report.whos, /\naddUp\s+function\s+addUp\(a, b\)\n/);
});

test("%timeit chooses the loop count and prints mean ± std. dev. like IPython", () => {
  const line = /^([\d.]+) (ns|µs|ms|s) ± ([\d.]+) (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 7 runs, ([\d,]+) loops? each\)\n$/.exec(report.timeit);
  assert.ok(line, report.timeit);
  assert.ok(Number(line[5]!.replace(/,/g, "")) >= 1000, `a cheap statement runs many loops: ${report.timeit}`);
  assert.match(report.timeit_n, /per loop \(mean ± std\. dev\. of 2 runs, 3 loops each\)/);
  assert.equal(report.timeit_bound, "35");
});

test("%pwd, %ls and !cmd", () => {
  assert.equal(report.pwd, `'${kernel.workdir}'`);
  assert.match(report.ls, /data\.csv/);
  assert.match(report.ls, /folder\//);
  assert.equal(report.shell.status, "ok", "a non-zero exit is printed, not an error");
  assert.equal(report.shell.stdout, "from-the-shell\n");
  assert.match(report.shell.stderr, /to-stderr\n[\s\S]*\(exit status 3\)/);
  assert.ok(report.shell_interrupt.elapsed < 2, `!sleep stopped in ${report.shell_interrupt.elapsed}s`);
  assert.equal(report.shell_interrupt.ename, "Interrupted");
  assert.equal(report.shell_interrupt.next, "1");
});

test("%name? and obj? answer through the pager payload", () => {
  assert.equal(report.magic_help.pages.length, 1);
  assert.match(report.magic_help.pages[0]!, /usage: %timeit/);
  assert.equal(report.magic_help.stdout, "", "help goes to the pager, not the output");
  assert.match(report.obj_help[0]!, /Type:\s+function addUp\(a: number, b: number\): number/);
  assert.match(report.obj_help[0]!, /Value:\s+\[Function: addUp\]/);
  assert.match(report.value_help[0]!, /Type:\s+const ratio: 0\.5/);
  assert.match(report.value_help[0]!, /Value:\s+0\.5/);
  assert.equal(report.missing_help, "Object `nothingHere` not found.\n");
});

test("html() as a result and %%html display as HTML", () => {
  assert.deepEqual(report.html_result, [["text/html", "text/plain"]]);
  assert.deepEqual(report.cell_html, ["<i>cell</i>"]);
});

test("%history shows the last cells with their line numbers", () => {
  assert.match(report.history, /^\s+\d+: %%html\n\s+<i>cell<\/i>\n\s+\d+: %history -n -l 3\n$/m);
});

test("%reset -f forgets the variables for runtime and type checker; %reset without an answer does nothing", () => {
  assert.match(report.reset, /^Deleted \d+ variables\.\n$/);
  assert.equal(report.after_reset.ename, "CompileError");
  assert.match(report.after_reset.evalue, /Cannot find name 'ratio'/);
  assert.equal(report.after_reset.works, "6");
  assert.match(report.reset_refused, /cannot answer the confirmation/);
});
