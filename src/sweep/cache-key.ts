import * as crypto from "node:crypto";
import type { VariantSource } from "../core/contracts.js";

/** Node ≥ 20.12's one-shot hash, 2–3× faster on short inputs (not in @types/node 20.9). */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

/** sha256 of the parts, each followed by a NUL (the same digest either way). */
function digest(parts: readonly string[]): string {
  if (oneShot) return oneShot("sha256", parts.join("\0") + "\0");
  const hash = crypto.createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}

const optionsJson = new WeakMap<object, string>();
function json(options: unknown): string {
  if (typeof options !== "object" || options === null) return JSON.stringify(options);
  let text = optionsJson.get(options);
  if (text === undefined) optionsJson.set(options, (text = JSON.stringify(options)));
  return text;
}

/**
 * The identity of a built variant: its workload kind and options, source files, flags, compiler, kernel
 * function and (cross builds only) target ISA. Two points with the same variant key build the same program.
 */
export function variantKey(kind: string, workloadOptions: unknown, source: VariantSource): string {
  const files = Object.keys(source.files)
    .sort()
    .flatMap((name) => [name, source.files[name]!]);
  const parts = [kind, json(workloadOptions), ...files, ...source.flags, source.compiler ?? "", source.kernelFunction ?? ""];
  // A cross build's ISA is appended; a host build has none, so its key is the one it had before ISAs existed.
  if (source.isa !== undefined) parts.push(`isa=${source.isa}`);
  return digest(parts);
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
