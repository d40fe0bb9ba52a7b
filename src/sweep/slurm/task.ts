import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { RunFailure, type Program, type Tool } from "../../core/contracts.js";
import { SimlabError } from "../../core/errors.js";
import { attempt } from "../attempt.js";
import { runKey, variantKey } from "../cache-key.js";
import { catalog as defaultCatalog, type Catalog } from "../catalog.js";
import { asFailure, failed, type Outcome } from "../outcome.js";
import { toolOptions } from "../plan.js";
import { Pool } from "../pool.js";
import { parseSpec } from "../spec.js";
import { encodeOutcome, type Submission, type TaskResult, type TaskRun } from "./chunk.js";
import { writeAtomically, SlurmWorkdir } from "./workdir.js";

/**
 * One job-array task on a node: builds and runs its chunk of the sweep and writes each run's outcome, as soon
 * as it has it, to results/<key>.json in the shared work directory (failures too; the driver records them).
 * The task recomputes every cache key from the spec and refuses a run whose key differs (another compiler or
 * valgrind on this node): its result would be stored under a key that does not describe it. Returns how many
 * runs it wrote. SIGTERM (Slurm's time limit or scancel) aborts the runs in flight; they are left unwritten.
 */
export async function runSlurmTask(submissionFile: string, task: number, options: { catalog?: Catalog; signal?: AbortSignal } = {}): Promise<number> {
  const cat = options.catalog ?? defaultCatalog;
  const signal = options.signal ?? new AbortController().signal;
  let submission: Submission;
  try {
    submission = JSON.parse(readFileSync(submissionFile, "utf8")) as Submission;
  } catch (e) {
    throw new SimlabError(`cannot read the submission ${submissionFile}: ${(e as Error).message}`, "is the work directory shared with this node?");
  }
  const runs = submission.tasks[task];
  if (!runs) throw new SimlabError(`task ${task} is not in ${submissionFile} (it has ${submission.tasks.length})`, "run by the slurm backend's job arrays only");
  const spec = parseSpec(submission.spec, submissionFile, { catalog: cat });
  const dir = new SlurmWorkdir(join(submissionFile, "..", "..", ".."));
  const scratch = mkdtempSync(join(tmpdir(), "simlab-task-"));
  const tools = new Map<string, Promise<{ tool: Tool; version: string } | RunFailure>>();
  const toolFor = (name: string) => {
    let t = tools.get(name);
    if (!t) {
      t = (async () => {
        const tool = cat.tool(name, toolOptions(spec, name));
        const info = await tool.probe();
        return info.available ? { tool, version: info.version ?? "" } : new RunFailure("unavailable", `${name} is not available on ${hostname()}: ${info.reason ?? "probe failed"}`);
      })().catch(asFailure);
      tools.set(name, t);
    }
    return t;
  };
  const builds = new Map<string, Promise<Program | RunFailure>>();
  let runCount = 0;
  const fresh = (prefix: string) => {
    const d = join(scratch, `${prefix}-${runCount++}`);
    mkdirSync(d);
    return d;
  };
  const build = (run: TaskRun): Promise<Program | RunFailure> => {
    let b = builds.get(run.variantKey);
    if (!b) {
      b = (async () => {
        const workload = cat.workload(run.kind, run.workloadOptions);
        if (variantKey(run.kind, run.workloadOptions, workload.source(run.knobs)) !== run.variantKey) {
          throw new RunFailure("build", `the ${run.kind} variant's source on ${hostname()} is not the one the driver planned (another simlab or compiler version here?)`);
        }
        return workload.build(run.knobs, fresh("build"), signal);
      })().catch(asFailure);
      builds.set(run.variantKey, b);
    }
    return b;
  };
  const one = async (run: TaskRun): Promise<Outcome | "cancelled"> => {
    const tool = await toolFor(run.tool);
    if (tool instanceof RunFailure) return failed(tool, 0);
    const identity = { name: run.tool, version: tool.version, options: tool.tool.cacheKey() };
    if (runKey(run.variantKey, identity) !== run.key) {
      return failed(new RunFailure("unavailable", `${run.tool} on ${hostname()} (${tool.version}) is not the driver's: its counts would be stored under another tool's key`), 0);
    }
    const program = await build(run);
    if (program instanceof RunFailure) return failed(program, 1);
    return attempt(tool.tool, program, { signal, timeoutMs: submission.timeoutMs, retries: submission.retries, workDir: () => fresh("run"), onWork: () => undefined });
  };

  const pool = new Pool(Math.max(1, submission.parallel), signal);
  let written = 0;
  try {
    await Promise.all(
      runs.map((run) =>
        pool.run(async () => {
          const outcome = await one(run);
          if (outcome === "cancelled" || signal.aborted) return;
          const result: TaskResult = { key: run.key, host: hostname(), outcome: encodeOutcome(outcome) };
          writeAtomically(dir.resultFile(run.key), JSON.stringify(result));
          written++;
        }).catch((e) => {
          if (!signal.aborted) throw e;
        }),
      ),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return written;
}
