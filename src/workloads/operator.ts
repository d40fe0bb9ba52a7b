import type { KnobValue, Knobs, Program, VariantSource, Workload } from "../core/contracts.js";
import { cProgram, KERNEL_FUNCTION, type KernelProgram } from "./c-harness.js";
import type { Isa } from "../core/isa.js";
import { compileProgram } from "./compiler.js";
import { resolveKnobs, type KnobDomain } from "./knobs.js";
import { checkWorkloadOptions, type WorkloadOptions } from "./options.js";
import { toolchainFor } from "./toolchain.js";

export type ResolvedKnobs = Readonly<Record<string, KnobValue>>;

/** A built-in operator's schedule space: its knobs, their cross-checks, and the C it generates. */
export interface OperatorSpace {
  kind: string;
  knobs: readonly KnobDomain[];
  /** Cross-knob constraints (tiles divide dims, unroll divides the innermost trip count); throws SimlabError. */
  check(knobs: ResolvedKnobs): void;
  /** The schedule knobs' plain values: the reference variant is the same shape with these. */
  plainSchedule: Knobs;
  generate(knobs: ResolvedKnobs): KernelProgram;
}

/** A Workload generating, validating and compiling the variants of an operator space (for `isa`, default the host's). */
export function operatorWorkload(space: OperatorSpace, raw: WorkloadOptions = {}, isa?: Isa): Workload {
  const options = checkWorkloadOptions(space.kind, raw, ["cc", "flags"]);
  const chain = toolchainFor(isa, options);
  const resolve = (knobs: Knobs): ResolvedKnobs => {
    const resolved = resolveKnobs(space.kind, space.knobs, knobs);
    space.check(resolved);
    return resolved;
  };
  const source = (knobs: Knobs): VariantSource => ({
    files: { "kernel.c": cProgram(space.generate(resolve(knobs))) },
    flags: chain.flags,
    kernelFunction: KERNEL_FUNCTION,
    compiler: chain.identity(),
    ...(chain.isa ? { isa: chain.isa } : {}),
  });
  return {
    kind: space.kind,
    validate: (knobs) => void resolve(knobs),
    source,
    async build(knobs: Knobs, dir: string, signal: AbortSignal): Promise<Program> {
      const variant = source(knobs);
      chain.checkPresent();
      const binary = await compileProgram(variant.files, variant.flags, dir, signal, chain.cc);
      return { binary, args: [], kernelFunction: KERNEL_FUNCTION, compiler: variant.compiler ?? chain.cc, flags: variant.flags, source: variant, ...(chain.isa ? { isa: chain.isa } : {}) };
    },
    reference: (knobs) => ({ ...resolve(knobs), ...space.plainSchedule }),
  };
}
