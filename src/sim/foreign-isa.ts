import { RunFailure, type Program } from "../core/contracts.js";
import { hostIsa, isHostIsa, type Isa } from "../core/isa.js";

/** The binary's ISA when it is not the host's (undefined for a host build). */
export function foreignIsa(program: Program): Isa | undefined {
  return isHostIsa(program.isa) ? undefined : program.isa;
}

/**
 * Refuses a binary this machine cannot run directly, before anything is started: one line saying what would
 * run it. RunFailure("unavailable"), so the sweep records it and goes on with the other ISAs' runs.
 */
export function refuseForeignIsa(program: Program, why: (isa: Isa, host: string) => string): void {
  const isa = foreignIsa(program);
  if (isa !== undefined) throw new RunFailure("unavailable", why(isa, hostIsa() ?? process.arch));
}
