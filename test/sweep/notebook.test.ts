import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const GEMM_24 = fileURLToPath(new URL("../../../datasets/specs/gemm-24.json", import.meta.url));

type Output = { output_type: string; name?: string; text?: string; data?: Record<string, unknown>; ename?: string; evalue?: string };

test("%sweep in a notebook, through the kernel: the 24-point GEMM spec with native timing and cachegrind binds its wide table", async () => {
  const dir = mkdtempSync(join(tmpdir(), "simlab-sweep-notebook-"));
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  const cells = [
    cell("a", `const spec = ${JSON.stringify(GEMM_24)};`),
    cell("b", "%sweep {spec} --db sweeps.db -> t"),
    cell("c", 'const ok = t.filter((d) => d.status === "ok" && d.runtime_min_s > 0 && d["cachegrind.kernel.Ir"] > 0 && d["cachegrind.kernel.D1mr"] >= 0);\n`${t.numRows()} rows, ${ok.numRows()} complete`'),
  ];
  writeFileSync(join(dir, "sweep.ipynb"), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  await promisify(execFile)(process.execPath, [CLI, "run", join(dir, "sweep.ipynb"), "-o", join(dir, "out.ipynb")], { timeout: 240_000 });
  const out = JSON.parse(readFileSync(join(dir, "out.ipynb"), "utf8")) as { cells: { outputs: Output[] }[] };
  const progress = out.cells[1]!.outputs.find((o) => o.output_type === "display_data");
  assert.match(String(progress?.data?.["text/plain"]), /48\/48 · 48 done · 0 failed · 0 cached/, "one progress display, updated in place to the end");
  assert.equal(out.cells[2]!.outputs[0]!.data!["text/plain"], "'24 rows, 24 complete'");
});
