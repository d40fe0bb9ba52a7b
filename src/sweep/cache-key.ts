import { createHash } from "node:crypto";
import type { VariantSource } from "../core/contracts.js";

function digest(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}

/**
 * The identity of a built variant: its workload kind and options, source files, flags, compiler and
 * kernel function. Two points with the same variant key build the same program.
 */
export function variantKey(kind: string, workloadOptions: unknown, source: VariantSource): string {
  const files = Object.keys(source.files)
    .sort()
    .flatMap((name) => [name, source.files[name]!]);
  return digest([kind, JSON.stringify(workloadOptions), ...files, ...source.flags, source.compiler ?? "", source.kernelFunction ?? ""]);
}

/** What makes a tool's results differ: its name, version and options (cache geometry, repetitions...). */
export interface ToolIdentity {
  name: string;
  version: string;
  options: string;
}

/** The content address of a run: a variant measured by a tool. A store holds at most one result per key. */
export function runKey(variant: string, tool: ToolIdentity): string {
  return digest([variant, tool.name, tool.version, tool.options]);
}
