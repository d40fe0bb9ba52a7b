import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/**
 * The sweep's shared work directory, seen by the driver and every node: `chunks/<submission>/` (the spec and
 * each task's runs), `results/<run key>.json` (written by tasks), `jobs/<job id>.json` (which task has which
 * runs, for a resuming driver) and `logs/` (each task's output). The store is never here.
 */
export class SlurmWorkdir {
  readonly results: string;
  readonly jobs: string;
  readonly logs: string;

  constructor(readonly root: string) {
    this.results = join(root, "results");
    this.jobs = join(root, "jobs");
    this.logs = join(root, "logs");
  }

  /** Beside the store by default: `<db>.slurm/<sweep>`. */
  static beside(dbPath: string, sweep: string): SlurmWorkdir {
    const db = resolve(dbPath);
    return new SlurmWorkdir(join(dirname(db), `${basename(db)}.slurm`, sweep));
  }

  create(): void {
    for (const dir of [this.results, this.jobs, this.logs, join(this.root, "chunks")]) mkdirSync(dir, { recursive: true });
  }

  submission(id: string): string {
    return join(this.root, "chunks", id);
  }

  resultFile(key: string): string {
    return join(this.results, `${key}.json`);
  }

  jobFile(jobId: string): string {
    return join(this.jobs, `${jobId}.json`);
  }
}

/** Writes a file so that readers see all of it or nothing: a temporary name, then a rename (atomic on one filesystem). */
export function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${hostname()}-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
