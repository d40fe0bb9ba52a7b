/**
 * Loading and export speed, with anchors measured in the same run:
 * - CSV: simlab's loadTable (field-count check, types from every row) vs arquero's own fromCSV on the same text.
 * - Parquet / Arrow: loadTable of the same 100k × 20 table vs the CSV anchor.
 * - 1 M × 20 CSV (≈ 315 MB, written to a temp folder): loadTable in a fresh node (default heap), time and peak RSS,
 *   against the same anchor (arquero on the 100k file; arquero itself is not run on 1 M rows).
 * - PNG export: first figure (browser start) vs each later one, and vs the PNG itself.
 * Run: npx tsc -p . && node dist/bench/data.js
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromCSV, toArrowIPC } from "arquero";
import { parquetWriteBuffer } from "hyparquet-writer";
import { loadTable } from "../src/data/index.js";
import { closeBrowser, predictedVsMeasured, toImage } from "../src/plot/index.js";

const rows = 100_000;
const cols = 20;

async function time<T>(fn: () => T | Promise<T>, reps = 3): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const dir = mkdtempSync(join(tmpdir(), "simlab-bench-"));
try {
  const names = ["group", ...Array.from({ length: cols - 1 }, (_, j) => `f${j}`)];
  const columns: Record<string, unknown[]> = { group: Array.from({ length: rows }, (_, i) => `g${i % 12}`) };
  for (let j = 1; j < cols; j++) columns[`f${j - 1}`] = Array.from({ length: rows }, (_, i) => ((i * (j + 7)) % 1009) / 7);
  const lines = [names.join(",")];
  const row = (i: number) => [`g${i % 12}`, ...Array.from({ length: cols - 1 }, (_, j) => String(((i * (j + 8)) % 1009) / 7))].join(",");
  for (let i = 0; i < rows; i++) lines.push(row(i));
  const csvPath = join(dir, "t.csv");
  writeFileSync(csvPath, lines.join("\n") + "\n");
  const parquetPath = join(dir, "t.parquet");
  writeFileSync(parquetPath, new Uint8Array(parquetWriteBuffer({ columnData: names.map((n) => (n === "group" ? { name: n, data: columns[n] as string[], type: "STRING" as const } : { name: n, data: columns[n] as number[], type: "DOUBLE" as const })) })));
  const arrowPath = join(dir, "t.arrow");
  const loaded = await loadTable(csvPath);
  writeFileSync(arrowPath, toArrowIPC(loaded, { format: "file" }));

  const anchor = await time(() => fromCSV(readFileSync(csvPath, "utf8")));
  const csv = await time(() => loadTable(csvPath));
  const parquet = await time(() => loadTable(parquetPath));
  const arrow = await time(() => loadTable(arrowPath));
  console.log(`${rows} × ${cols} table (best of 3)`);
  console.log(`  arquero fromCSV (anchor)   ${anchor.toFixed(0)} ms`);
  console.log(`  loadTable CSV              ${csv.toFixed(0)} ms  (${(csv / anchor).toFixed(2)}× anchor)`);
  console.log(`  loadTable Parquet          ${parquet.toFixed(0)} ms  (${(parquet / anchor).toFixed(2)}× anchor)`);
  console.log(`  loadTable Arrow            ${arrow.toFixed(0)} ms  (${(arrow / anchor).toFixed(2)}× anchor)`);

  // 1 M rows, the same generator, written in blocks so the bench itself does not hold the text.
  const bigRows = 1_000_000;
  const bigPath = join(dir, "big.csv");
  const fd = openSync(bigPath, "w");
  writeSync(fd, names.join(",") + "\n");
  for (let i = 0; i < bigRows; i += 10_000) writeSync(fd, Array.from({ length: 10_000 }, (_, k) => row(i + k)).join("\n") + "\n");
  closeSync(fd);
  const bytes = statSync(bigPath).size;
  const child = [
    `const { loadTable } = await import(${JSON.stringify(new URL("../src/data/index.js", import.meta.url).href)});`,
    `const t0 = performance.now(); const t = await loadTable(${JSON.stringify(bigPath)}); const ms = performance.now() - t0;`,
    `console.log(JSON.stringify({ rows: t.numRows(), ms, peak: process.resourceUsage().maxRSS * 1024 }));`,
  ].join("\n");
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" });
  if (run.status !== 0) console.log(`  loadTable 1 M rows FAILED (exit ${run.status}): ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`);
  else {
    const big = JSON.parse(run.stdout) as { rows: number; ms: number; peak: number };
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
    console.log(`${big.rows} × ${cols} CSV, ${mb(bytes)} (fresh node, default heap, once)`);
    console.log(`  loadTable CSV              ${big.ms.toFixed(0)} ms  (${(big.ms / anchor).toFixed(2)}× anchor; per row ${(big.ms / bigRows / (anchor / rows)).toFixed(2)}× anchor)`);
    console.log(`  peak RSS                   ${mb(big.peak)}  (${(big.peak / bytes).toFixed(2)}× the file)`);
  }

  const preds = Array.from({ length: 480 }, (_, i) => ({ group: `g${i % 12}`, measured: 1e-3 * (1 + (i % 40)), predicted: 1e-3 * (1 + ((i * 7) % 40)) }));
  const fig = predictedVsMeasured(preds);
  const first = await time(() => toImage(fig), 1);
  const later = await time(() => toImage(fig), 5);
  const svg = await time(() => toImage(fig, { format: "svg" }), 5);
  console.log("PNG export, 480 points (headless Chromium)");
  console.log(`  first (starts the browser) ${first.toFixed(0)} ms`);
  console.log(`  later PNG (anchor)         ${later.toFixed(0)} ms  (first = ${(first / later).toFixed(1)}× a later one)`);
  console.log(`  later SVG                  ${svg.toFixed(0)} ms  (${(svg / later).toFixed(2)}× PNG)`);
} finally {
  await closeBrowser();
  rmSync(dir, { recursive: true, force: true });
}
