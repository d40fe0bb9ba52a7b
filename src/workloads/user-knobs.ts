import { SimlabError } from "../core/errors.js";
import type { Knobs } from "../core/contracts.js";

/** User workloads take any knobs, but their names must be identifiers and values plain numbers or words. */
export function validateUserKnobs(kind: string, knobs: Knobs): void {
  for (const [name, value] of Object.entries(knobs)) {
    if (!/^[A-Za-z_]\w*$/.test(name)) {
      throw new SimlabError(`${kind}: knob name '${name}' is invalid`, "knob names are C identifiers: letters, digits and _");
    }
    const ok = typeof value === "number" ? Number.isFinite(value) : /^[\w.+-]*$/.test(value);
    if (!ok) {
      throw new SimlabError(`${kind}: knob ${name}=${JSON.stringify(value)} is invalid`, `${name} takes a finite number or a word of letters, digits, '.', '+', '-', '_'`);
    }
  }
}
