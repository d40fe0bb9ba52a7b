import { asFailure, type Outcome } from "./outcome.js";
import { RunFailure, type Program, type Tool } from "../core/contracts.js";

/** Extra time a run gets beyond its timeout before the engine stops waiting for the tool to end it. */
export const WATCHDOG_GRACE_MS = 5000;

export interface AttemptContext {
  signal: AbortSignal;
  timeoutMs: number;
  /** Extra attempts after a crash or a timeout. */
  retries: number;
  /** A fresh scratch folder for each attempt. */
  workDir(): string;
  cpu?: number;
  /** Called with each attempt's wall time. */
  onWork(seconds: number): void;
}

/**
 * Runs `program` under `tool`, retrying crashes and timeouts, with a watchdog in case the tool ignores its
 * own timeout. Resolves to the outcome, or "cancelled" when `signal` aborts (the result is then meaningless).
 */
export async function attempt(tool: Tool, program: Program, ctx: AttemptContext): Promise<Outcome | "cancelled"> {
  for (let attempts = 1; ; attempts++) {
    const watchdog = AbortSignal.timeout(ctx.timeoutMs + WATCHDOG_GRACE_MS);
    const either = eitherSignal(ctx.signal, watchdog);
    const t0 = performance.now();
    let outcome: Outcome;
    try {
      const output = await tool.run(program, { signal: either.signal, timeoutMs: ctx.timeoutMs, workDir: ctx.workDir(), cpu: ctx.cpu });
      outcome = { ok: true, output, attempts };
    } catch (e) {
      const failure = watchdog.aborted && !ctx.signal.aborted ? new RunFailure("timeout", `no result after ${ctx.timeoutMs / 1000} s (the tool ignored its timeout)`) : asFailure(e);
      outcome = { ok: false, failure, attempts, wallSeconds: (performance.now() - t0) / 1000 };
    } finally {
      either.dispose();
      ctx.onWork((performance.now() - t0) / 1000);
    }
    if (ctx.signal.aborted) return "cancelled";
    const retry = !outcome.ok && (outcome.failure.reason === "crash" || outcome.failure.reason === "timeout") && attempts <= ctx.retries;
    if (!retry) return outcome;
  }
}

/** A signal aborted by either of two (AbortSignal.any, which @types/node 20.9 does not declare). */
function eitherSignal(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  if (a.aborted) onA();
  else if (b.aborted) onB();
  a.addEventListener("abort", onA, { once: true });
  b.addEventListener("abort", onB, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      a.removeEventListener("abort", onA);
      b.removeEventListener("abort", onB);
    },
  };
}
