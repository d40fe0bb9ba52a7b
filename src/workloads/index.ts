import { SimlabError } from "../core/errors.js";
import type { Isa } from "../core/isa.js";
import type { Workload } from "../core/contracts.js";
import { cfileWorkload } from "./cfile.js";
import { commandWorkload } from "./command.js";
import { conv2dSpace } from "./conv2d.js";
import { gemmSpace } from "./gemm.js";
import type { KnobDomain } from "./knobs.js";
import { mvmSpace } from "./mvm.js";
import { operatorWorkload, type OperatorSpace } from "./operator.js";
import type { WorkloadOptions } from "./options.js";

export type { KnobDomain } from "./knobs.js";
export type { WorkloadOptions } from "./options.js";
export { grid, gridSize, sample, type Space } from "./space.js";
export { compilerIdentity, DEFAULT_FLAGS } from "./compiler.js";
export { CROSS_FLAGS, toolchainFor, type Toolchain } from "./toolchain.js";
export { KERNEL_FUNCTION } from "./c-harness.js";

const operators: Readonly<Record<string, OperatorSpace>> = { gemm: gemmSpace, mvm: mvmSpace, conv2d: conv2dSpace };
const userKinds: Readonly<Record<string, (options?: WorkloadOptions, isa?: Isa) => Workload>> = { cfile: cfileWorkload, command: commandWorkload };

/** "gemm", "mvm", "conv2d" (built-in schedule spaces), "cfile", "command" (user workloads). */
export function workloadKinds(): string[] {
  return [...Object.keys(operators), ...Object.keys(userKinds)];
}

function unknownKind(kind: string): SimlabError {
  return new SimlabError(`unknown workload '${kind}'`, `workloads are ${workloadKinds().join(", ")}`);
}

/** The workload `kind` with `options`, built for `isa` (default: the host's; another ISA is cross-compiled). */
export function workloadFor(kind: string, options: WorkloadOptions = {}, isa?: Isa): Workload {
  const space = operators[kind];
  if (space) return operatorWorkload(space, options, isa);
  const user = userKinds[kind];
  if (user) return user(options, isa);
  throw unknownKind(kind);
}

/** The documented knobs of a built-in space (with suggested values and defaults); user workloads take any knobs. */
export function knobDomains(kind: string): KnobDomain[] {
  const space = operators[kind];
  if (space) return [...space.knobs];
  if (userKinds[kind]) return [];
  throw unknownKind(kind);
}
