/**
 * Runs the benchmarks one after the other (each measures its own anchor in the same run and prints ratios):
 * `npm run bench` for all, `npm run bench -- kernel predict` for some.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const all = ["kernel", "sweep", "plan", "predict", "data", "paper-ranking", "qemu", "slurm"];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(", ")}; choose from ${all.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen.length > 0 ? chosen : all) {
  console.log(`\n=== bench/${name} ===`);
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const run = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
