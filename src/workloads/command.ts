import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { SimlabError } from "../core/errors.js";
import { fillTemplate, placeholders, type TemplateValue } from "../proc/command-template.js";
import { failUnlessSuccess, runProcess } from "../proc/run-process.js";
import type { Knobs, Program, VariantSource, Workload } from "../core/contracts.js";
import type { Isa } from "../core/isa.js";
import { BINARY_NAME } from "./compiler.js";
import { toolchainFor } from "./toolchain.js";
import { checkWorkloadOptions, type WorkloadOptions } from "./options.js";
import { validateUserKnobs } from "./user-knobs.js";

const KIND = "command";
const BUILD_TIMEOUT_MS = 300_000;

/**
 * A generic workload: a build command template (optional) and a run command template, both shell commands with
 * `{knob}` placeholders plus {src} (the copied `file` option), {bin} (./prog), {cc} and {flags}. Both run in the
 * variant's build folder. The run command gets the mode arguments (`sim` or `time REPS WARMUP`) appended, and
 * prints the protocol of README.md: `checksum …`, `rep …`, and any `name=value` / JSON-line statistics.
 */
export function commandWorkload(raw: WorkloadOptions = {}, isa?: Isa): Workload {
  const options = checkWorkloadOptions(KIND, raw, ["cc", "flags", "file", "build", "run", "kernel", "reference"]);
  const { run, build } = options;
  if (!run) throw new SimlabError("command workload needs a run command", "give run: e.g. '{bin}' or 'python3 bench.py --n {n}'");
  // For another ISA, {cc} and {flags} are the cross gcc and its flags; the run command must run the target's binary.
  const chain = toolchainFor(isa, options);
  const { cc, flags } = chain;
  const srcName = options.file ? basename(options.file) : undefined;
  const usesCc = [run, build ?? ""].some((t) => placeholders(t).includes("cc"));

  const script = (template: string, knobs: Knobs, what: string): string => {
    const values: Record<string, TemplateValue> = { ...knobs, bin: `./${BINARY_NAME}`, cc, flags };
    if (srcName) values.src = `./${srcName}`;
    const filled = fillTemplate(template, values, what);
    return `#!/bin/sh\ncd "$(dirname "$0")" || exit 1\n${filled}${what === "run command" ? ' "$@"' : ""}\n`;
  };

  // Read once: every variant of a sweep is keyed and built from the same bytes, even if the file is edited meanwhile.
  let snapshot: string | undefined;
  const readFile = (path: string): string => {
    try {
      return (snapshot ??= readFileSync(path, "utf8"));
    } catch (e) {
      throw new SimlabError(`command: cannot read ${path}: ${(e as Error).message}`, "check the file option's path");
    }
  };

  const source = (knobs: Knobs): VariantSource => {
    validateUserKnobs(KIND, knobs);
    const files: Record<string, string> = { "run.sh": script(run, knobs, "run command") };
    if (build) files["build.sh"] = script(build, knobs, "build command");
    if (options.file && srcName) files[srcName] = readFile(options.file);
    return { files, flags, kernelFunction: options.kernel, compiler: usesCc ? chain.identity() : undefined, ...(chain.isa ? { isa: chain.isa } : {}) };
  };

  return {
    kind: KIND,
    validate: (knobs) => void source(knobs),
    source,
    async build(knobs: Knobs, dir: string, signal: AbortSignal): Promise<Program> {
      const variant = source(knobs);
      if (usesCc) chain.checkPresent();
      for (const [name, content] of Object.entries(variant.files)) await writeFile(join(dir, name), content);
      if (variant.files["build.sh"]) {
        const result = await runProcess("/bin/sh", [join(dir, "build.sh")], { signal, timeoutMs: BUILD_TIMEOUT_MS, cwd: dir });
        failUnlessSuccess(result, "build", "the build command");
      }
      return { binary: "/bin/sh", args: [join(dir, "run.sh")], kernelFunction: variant.kernelFunction, compiler: variant.compiler ?? "", flags: variant.flags, source: variant, ...(chain.isa ? { isa: chain.isa } : {}) };
    },
    reference: (knobs) => ({ ...knobs, ...options.reference }),
  };
}
