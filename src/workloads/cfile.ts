import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { SimlabError } from "../core/errors.js";
import type { Knobs, Program, VariantSource, Workload } from "../core/contracts.js";
import { KERNEL_FUNCTION } from "./c-harness.js";
import type { Isa } from "../core/isa.js";
import { compileProgram } from "./compiler.js";
import { toolchainFor } from "./toolchain.js";
import { checkWorkloadOptions, type WorkloadOptions } from "./options.js";
import { validateUserKnobs } from "./user-knobs.js";

const KIND = "cfile";

/**
 * A user's C file whose knobs become `-D NAME=value` defines. The file follows the output protocol described
 * in README.md (modes `sim` and `time REPS WARMUP`, lines `rep <seconds>` and `checksum <value>`), and defines
 * its kernel as a noinline function (`kernel` unless WorkloadOptions.kernel says otherwise).
 */
export function cfileWorkload(raw: WorkloadOptions = {}, isa?: Isa): Workload {
  const options = checkWorkloadOptions(KIND, raw, ["cc", "flags", "file", "kernel", "reference"]);
  const file = options.file;
  if (!file) throw new SimlabError("cfile workload needs a C file", "give its path as the file option, e.g. file: 'my_kernel.c'");
  const chain = toolchainFor(isa, options);
  const kernelFunction = options.kernel ?? KERNEL_FUNCTION;
  const name = basename(file).endsWith(".c") ? basename(file) : `${basename(file)}.c`;
  // Read once: every variant of a sweep is keyed and built from the same bytes, even if the file is edited meanwhile.
  let snapshot: string | undefined;
  const readSource = (): string => {
    try {
      return (snapshot ??= readFileSync(file, "utf8"));
    } catch (e) {
      throw new SimlabError(`cfile: cannot read ${file}: ${(e as Error).message}`, "check the file option's path");
    }
  };
  const source = (knobs: Knobs): VariantSource => {
    validateUserKnobs(KIND, knobs);
    const defines = Object.keys(knobs).sort().map((k) => `-D${k}=${knobs[k]}`);
    return { files: { [name]: readSource() }, flags: [...chain.flags, ...defines], kernelFunction, compiler: chain.identity(), ...(chain.isa ? { isa: chain.isa } : {}) };
  };
  return {
    kind: KIND,
    validate: (knobs) => validateUserKnobs(KIND, knobs),
    source,
    async build(knobs: Knobs, dir: string, signal: AbortSignal): Promise<Program> {
      const variant = source(knobs);
      chain.checkPresent();
      const binary = await compileProgram(variant.files, variant.flags, dir, signal, chain.cc);
      return { binary, args: [], kernelFunction, compiler: variant.compiler ?? chain.cc, flags: variant.flags, source: variant, ...(chain.isa ? { isa: chain.isa } : {}) };
    },
    reference: (knobs) => ({ ...knobs, ...options.reference }),
  };
}
