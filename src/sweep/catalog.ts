import { grid, knobDomains, sample, workloadFor, workloadKinds, type KnobDomain } from "../workloads/index.js";
import { toolFor, toolNames } from "../sim/index.js";
import type { KnobValue, Knobs, Tool, Workload } from "../core/contracts.js";
import type { Isa } from "../core/isa.js";

/**
 * What the engine can sweep: the leaves' workloads and tools, behind one seam so spec validation and the
 * runner name them in one place.
 */
export interface Catalog {
  workloadKinds(): string[];
  knobDomains(kind: string): readonly KnobDomain[];
  /** `isa` undefined: the host's (cross-compiled otherwise). */
  workload(kind: string, options: Record<string, unknown>, isa?: Isa): Workload;
  grid(space: Record<string, readonly KnobValue[]>): Knobs[];
  sample(space: Record<string, readonly KnobValue[]>, n: number, seed: number): Knobs[];
  toolNames(): string[];
  tool(name: string, options: Record<string, unknown>): Tool;
}

export const catalog: Catalog = {
  workloadKinds,
  knobDomains,
  workload: (kind, options, isa) => workloadFor(kind, options, isa),
  grid,
  sample,
  toolNames,
  tool: (name, options) => toolFor(name, options),
};

export type { KnobDomain };
