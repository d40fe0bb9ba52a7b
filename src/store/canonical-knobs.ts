import type { KnobValue, Knobs } from "../core/contracts.js";

/** JSON with sorted keys: the identity of a knob setting. */
export function canonicalKnobs(knobs: Knobs): string {
  const sorted: Record<string, KnobValue> = {};
  for (const name of Object.keys(knobs).sort()) sorted[name] = knobs[name]!;
  return JSON.stringify(sorted);
}

/**
 * `canonicalKnobs` for many settings of the same knob names (a sweep's points): the names' order and their
 * quoted JSON are worked out once per set of names, so each setting costs only its values' JSON. Gives the
 * same text as `canonicalKnobs` (the order is taken from a real sorted object, integer-like names included).
 */
export class KnobCanonicalizer {
  private names: string[] = [];
  private order: string[] = [];
  private prefixes: string[] = [];

  text(knobs: Knobs): string {
    const names = Object.keys(knobs);
    if (!sameNames(names, this.names)) this.learn(names, knobs);
    let text = "";
    for (let i = 0; i < this.order.length; i++) text += this.prefixes[i]! + JSON.stringify(knobs[this.order[i]!]);
    return this.order.length === 0 ? "{}" : text + "}";
  }

  private learn(names: string[], knobs: Knobs): void {
    this.names = names;
    this.order = Object.keys(JSON.parse(canonicalKnobs(knobs)) as object);
    this.prefixes = this.order.map((name, i) => `${i === 0 ? "{" : ","}${JSON.stringify(name)}:`);
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
