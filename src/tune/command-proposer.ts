import { SimlabError } from "../core/errors.js";
import { isRecord } from "../core/guards.js";
import { runProcess } from "../proc/run-process.js";
import type { KnobValue, Knobs } from "../core/contracts.js";
import type { Proposer, ProposerInput } from "./proposer.js";

const TIMEOUT_MS = 120_000;

/**
 * An external proposer: `sh -c COMMAND` gets the feedback (ProposerInput) as JSON on stdin and prints candidates
 * as JSON lines, each a knob object or {"knobs": {…}}; no lines ends the loop. A line that is not a knob object is
 * skipped and reported in `rejected` (so an LLM client's chatter does not stop the loop); a failing command is a
 * SimlabError with its stderr tail.
 */
export function commandProposer(command: string, options: { signal?: AbortSignal } = {}): Proposer & { rejected: string[] } {
  const rejected: string[] = [];
  return {
    name: `command: ${command}`,
    rejected,
    async propose(input: ProposerInput): Promise<Knobs[]> {
      const result = await runProcess("sh", ["-c", command], { input: JSON.stringify(input), signal: options.signal ?? new AbortController().signal, timeoutMs: TIMEOUT_MS });
      if (result.exitCode !== 0) {
        throw new SimlabError(`proposer command exited ${result.exitCode ?? result.signal}: ${(result.stderr.trim().split("\n").pop() ?? "").slice(0, 200)}`, "the command reads feedback JSON on stdin and prints one JSON object of knobs per line");
      }
      const out: Knobs[] = [];
      for (const line of result.stdout.split("\n").map((l) => l.trim()).filter(Boolean)) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          rejected.push(line);
          continue;
        }
        const knobs = isRecord(value) && isRecord(value.knobs) ? value.knobs : value;
        if (isRecord(knobs) && Object.values(knobs).every((v) => typeof v === "number" || typeof v === "string")) out.push(knobs as Record<string, KnobValue>);
        else rejected.push(line);
      }
      return out;
    },
  };
}
