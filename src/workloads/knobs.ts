import { SimlabError } from "../core/errors.js";
import type { KnobValue, Knobs } from "../core/contracts.js";

/** A documented knob of a workload: what values it takes, its default, and what it does. */
export interface KnobDomain {
  name: string;
  /** The suggested values (the grid of the built-in space); other valid values may be accepted too. */
  values?: readonly KnobValue[];
  type: "integer" | "choice" | "string";
  help: string;
  default?: KnobValue;
}

function describe(domain: KnobDomain): string {
  if (domain.type === "choice" && domain.values) return `one of ${domain.values.join(", ")}`;
  return domain.help;
}

function badKnob(kind: string, domain: KnobDomain, value: KnobValue, why: string): SimlabError {
  return new SimlabError(
    `${kind}: knob ${domain.name}=${JSON.stringify(value)} is invalid: ${why}`,
    `${domain.name} takes ${describe(domain)}`,
  );
}

/**
 * Knob values with defaults filled in and every value checked against its domain (integers ≥ 0, choices from
 * their list). Unknown knob names are rejected, since they are almost always typos.
 */
export function resolveKnobs(kind: string, domains: readonly KnobDomain[], knobs: Knobs): Record<string, KnobValue> {
  const byName = new Map(domains.map((d) => [d.name, d]));
  for (const name of Object.keys(knobs)) {
    if (!byName.has(name)) {
      throw new SimlabError(`${kind}: unknown knob '${name}'`, `${kind} knobs are ${domains.map((d) => d.name).join(", ")}`);
    }
  }
  const resolved: Record<string, KnobValue> = {};
  for (const domain of domains) {
    const value = knobs[domain.name] ?? domain.default;
    if (value === undefined) throw new SimlabError(`${kind}: knob ${domain.name} is required`, `${domain.name}: ${domain.help}`);
    if (domain.type === "integer") {
      const n = typeof value === "number" ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) throw badKnob(kind, domain, value, "expected a non-negative integer");
      resolved[domain.name] = n;
    } else if (domain.type === "choice") {
      if (!domain.values?.includes(value)) throw badKnob(kind, domain, value, `expected one of ${domain.values?.join(", ")}`);
      resolved[domain.name] = value;
    } else {
      resolved[domain.name] = String(value);
    }
  }
  return resolved;
}

/** Reads an already resolved integer knob. */
export function int(knobs: Readonly<Record<string, KnobValue>>, name: string): number {
  return knobs[name] as number;
}

/** Checks a further constraint on a resolved knob and throws one clear SimlabError naming it. */
export function requireKnob(ok: boolean, kind: string, name: string, value: KnobValue, why: string, allowed: string): void {
  if (!ok) throw new SimlabError(`${kind}: knob ${name}=${JSON.stringify(value)} is invalid: ${why}`, `${name} takes ${allowed}`);
}

/** Validates a loop order: a permutation of `letters` (e.g. "ikj" for "ijk"). */
export function requirePermutation(kind: string, name: string, value: string, letters: string): void {
  const ok = value.length === letters.length && [...letters].every((l) => value.includes(l));
  requireKnob(ok, kind, name, value, `not a permutation of "${letters}"`, `a permutation of the loop letters "${letters}", e.g. "${letters}"`);
}

/** Validates a tile size: 0 or 1 means untiled, otherwise it must divide the dimension. */
export function requireTile(kind: string, name: string, tile: number, dimName: string, extent: number): void {
  const ok = tile <= 1 || (tile <= extent && extent % tile === 0);
  requireKnob(ok, kind, name, tile, `must be 0/1 (untiled) or divide ${dimName}=${extent}`, `0, 1 or a divisor of ${dimName}=${extent}`);
}
