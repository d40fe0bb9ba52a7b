import { SimlabError } from "../core/errors.js";
import { RunFailure, type RunOutput } from "../core/contracts.js";

/** How one run ended, before it is recorded: its output, or why it failed (after every attempt). */
export type Outcome = { ok: true; output: RunOutput; attempts: number } | { ok: false; failure: RunFailure; attempts: number; wallSeconds?: number };

export function failed(failure: RunFailure, attempts: number, wallSeconds?: number): Outcome {
  return { ok: false, failure, attempts, wallSeconds };
}

/** A tool's or build's error as a RunFailure: a SimlabError means the tool is unavailable, anything else a crash. */
export function asFailure(e: unknown): RunFailure {
  if (e instanceof RunFailure) return e;
  if (e instanceof SimlabError) return new RunFailure("unavailable", e.message);
  return new RunFailure("crash", e instanceof Error ? e.message : String(e));
}
