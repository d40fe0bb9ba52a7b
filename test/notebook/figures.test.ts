import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCommand, simlabMain } from "./cli-helpers.js";

function notebookWithFigures(): object {
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "simlab", display_name: "TypeScript (simlab)", language: "typescript" } },
    cells: [
      cell("a", 'import { Figure } from "simlab";\nconst fig = (n: number) => new Figure([{ x: [1, 2, n], y: [2, 4, 1], type: "scatter", mode: "markers" }], { width: 400, height: 300 }, "test", 3);\nfig(3)'),
      cell("b", "display(fig(5));\nconsole.log('not a figure');"),
    ],
  };
}

test("simlab run --figures writes each plotly figure of the executed notebook as a PNG", async () => {
  const dir = mkdtempSync(join(tmpdir(), "simlab-figures-"));
  writeFileSync(join(dir, "figs.ipynb"), JSON.stringify(notebookWithFigures()));
  const run = await runCommand([process.execPath, simlabMain, "run", join(dir, "figs.ipynb"), "--figures", join(dir, "png")]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(join(dir, "png")).sort(), ["figs-cell1-1.png", "figs-cell2-1.png"]);
  for (const name of readdirSync(join(dir, "png"))) {
    const png = readFileSync(join(dir, "png", name));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${name} is a PNG`);
    // Scale 2: the 400 × 300 layout becomes 800 × 600 pixels (IHDR width and height).
    assert.equal(png.readUInt32BE(16), 800);
    assert.equal(png.readUInt32BE(20), 600);
  }
  assert.match(run.stderr, /2 figure\(s\) written/);
});
