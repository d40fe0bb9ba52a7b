import { setTimeout as sleep } from "node:timers/promises";
import { claimRun, finishedChecksum, releaseRunsOfDeadOwners, type Store } from "../store/index.js";
import { canonicalKnobs } from "../store/sweeps.js";
import { isOwnerAlive } from "./owner.js";
import { hostIsa } from "../core/isa.js";
import type { PlannedRun, PreparedTool } from "./plan.js";

/** How often a run held by another sweep is looked at again. */
const HELD_POLL_MS = 200;

export interface Claimer {
  sweepId: number;
  hostId: number;
  /** The host of a tool whose runs happen elsewhere (a board), when not `hostId`. */
  toolHosts?: ReadonlyMap<PreparedTool, number>;
  owner: string;
}

/**
 * Claims a run in the store: its new row's id; or the finished result another sweep stored meanwhile; or
 * "held" while another live sweep is running it (wait with `waitWhileHeld`, then claim again).
 */
export function claim(db: Store, run: PlannedRun, who: Claimer): { runId: number } | { finished: { checksum: string | undefined } } | "held" {
  const runId = claimRun(db, {
    cacheKey: run.key,
    kind: run.drift ? "drift" : "point",
    sweepId: who.sweepId,
    workload: run.variant.kind,
    knobs: canonicalKnobs(run.variant.knobs),
    tool: run.tool.identity.name,
    toolVersion: run.tool.identity.version,
    hostId: who.toolHosts?.get(run.tool) ?? who.hostId,
    owner: who.owner,
    build: { ...run.variant.build, isa: run.variant.build.isa ?? hostIsa() ?? process.arch },
  });
  if (runId !== undefined) return { runId };
  const done = finishedChecksum(db, run.key);
  return done.found ? { finished: { checksum: done.checksum } } : "held";
}

/** Waits a moment, and forgets the claims of sweeps that died meanwhile so that the next claim can take them. */
export async function waitWhileHeld(db: Store, signal: AbortSignal): Promise<void> {
  await sleep(HELD_POLL_MS, undefined, { signal }).catch(() => undefined);
  if (!signal.aborted) releaseRunsOfDeadOwners(db, isOwnerAlive);
}
