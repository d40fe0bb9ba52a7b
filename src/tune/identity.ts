import { execFileSync } from "node:child_process";
import { SimlabError } from "../core/errors.js";
import { compilerIdentity } from "../workloads/compiler.js";

const targets = new Map<string, string>();

/** The ISA a compiler builds for: its target triple (`cc -dumpmachine`), e.g. x86_64-linux-gnu. */
export function compilerTarget(cc: string): string {
  let target = targets.get(cc);
  if (target === undefined) {
    try {
      target = execFileSync(cc, ["-dumpmachine"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      throw new SimlabError(`C compiler '${cc}' not found or not runnable`, "install it (apt-get install gcc) or set the compiler with the cc option");
    }
    targets.set(cc, target);
  }
  return target;
}

/** The compiler of a workload (its `cc` option, else gcc): identity and target, for the tuning cache's key. */
export function toolchainOf(workloadOptions: Record<string, unknown>): { compiler: string; isa: string } {
  const cc = typeof workloadOptions.cc === "string" ? workloadOptions.cc : "gcc";
  return { compiler: compilerIdentity(cc), isa: compilerTarget(cc) };
}
