import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { variantKey } from "./cache-key.js";
import { asFailure } from "./outcome.js";
import type { Variant } from "./plan.js";
import type { Pool } from "./pool.js";
import { RunFailure, type Program } from "../core/contracts.js";

/**
 * One build per variant, shared by every run that uses it, each a pool task in its own folder. A build whose
 * compiled source is not the one the variant's cache key was computed from (a file edited during the sweep)
 * fails, so no result is ever stored under another source's key.
 */
export class Builds {
  private readonly builds = new Map<string, Promise<Program | RunFailure>>();

  constructor(
    private readonly pool: Pool,
    private readonly root: string,
    private readonly signal: AbortSignal,
    private readonly onWork: (seconds: number) => void,
  ) {}

  get(v: Variant): Promise<Program | RunFailure> {
    let b = this.builds.get(v.key);
    if (!b) {
      const dir = join(this.root, `build-${this.builds.size}`);
      b = this.pool.run(() => this.build(v, dir)).catch(asFailure);
      this.builds.set(v.key, b);
    }
    return b;
  }

  private async build(v: Variant, dir: string): Promise<Program> {
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    try {
      const program = await v.workload.build(v.knobs, dir, this.signal);
      if (program.source && variantKey(v.kind, v.workloadOptions, program.source) !== v.key) {
        throw new RunFailure("build", `the ${v.kind} variant's source changed after the sweep was planned (a file edited meanwhile?): run the sweep again`);
      }
      return program;
    } finally {
      this.onWork((performance.now() - t0) / 1000);
    }
  }
}
