/**
 * Slurm backend benchmark (not a timed test): the per-run overhead of `backend: slurm` against the local pool
 * on the same spec, measured in the same run. Starts a one-node Slurm with test/cluster/slurm-local.sh (needs
 * root and the Debian packages slurmctld slurmd slurm-client munge), runs 12 GEMM variants under cachegrind
 * with the local pool (jobs = cores; the anchor), then through Slurm (chunk 1 and chunk 4, CPUs = cores), each
 * into a fresh store. Prints wall times, the ratio slurm / local and the extra seconds per run.
 * Run: npx tsc -p . && node dist/bench/slurm.js
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSweep } from "../src/sweep/index.js";

const script = fileURLToPath(new URL("../../test/cluster/slurm-local.sh", import.meta.url));
if (!existsSync("/usr/sbin/slurmctld") || process.getuid?.() !== 0) {
  console.log("skipped: needs root and slurmctld (apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge)");
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "simlab-bench-slurm-"));
chmodSync(dir, 0o755);
const clusterDir = join(dir, "cluster");
const jobs = os.availableParallelism();
const spec = (name: string, backend?: object) => ({
  name,
  workloads: [{ kind: "gemm", space: { M: [48], N: [48], K: [48], order: ["ijk", "ikj", "jik", "jki", "kij", "kji"], tn: [0, 16] } }],
  tools: ["cachegrind"],
  ...(backend ? { backend } : {}),
});

try {
  const out = execFileSync("sh", [script, "start", clusterDir], { encoding: "utf8" });
  process.env.SLURM_CONF = /SLURM_CONF='([^']+)'/.exec(out)![1]!;
  // Warm-up (valgrind and gcc in the page cache), not counted.
  await runSweep(spec("warm"), { db: join(dir, "warm.db"), jobs });
  const local = await runSweep(spec("local"), { db: join(dir, "local.db"), jobs });
  const rows = [{ label: `local pool, jobs ${jobs} (anchor)`, s: local }];
  for (const chunk of [1, 4]) {
    const s = await runSweep(spec(`slurm-${chunk}`, { slurm: { chunk, pollSeconds: 0.25 } }), { db: join(dir, `slurm-${chunk}.db`) });
    if (s.failed > 0) throw new Error(`slurm chunk ${chunk}: ${s.failed} runs failed: ${s.failures[0]?.message}`);
    rows.push({ label: `slurm, chunk ${chunk}`, s });
  }
  console.log(`${local.runs} cachegrind runs of 48³ GEMM variants, one-node Slurm with ${jobs} CPUs on this machine`);
  for (const { label, s } of rows) {
    const ratio = s.wallSeconds / local.wallSeconds;
    const perRun = (s.wallSeconds - local.wallSeconds) / s.runs;
    console.log(`  ${label.padEnd(28)} wall ${s.wallSeconds.toFixed(2)} s  ratio ${ratio.toFixed(2)}×  overhead ${perRun >= 0 ? "+" : ""}${perRun.toFixed(3)} s per run`);
  }
} finally {
  try {
    execFileSync("sh", [script, "stop", clusterDir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
