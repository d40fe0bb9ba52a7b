import { SimlabError } from "../core/errors.js";
import { finishedChecksum, finishedKeys, type StoredPoint } from "../store/index.js";
import type { Store } from "../store/open.js";
import { KnobCanonicalizer } from "../store/sweeps.js";
import { runKey, variantKey, type ToolIdentity } from "./cache-key.js";
import type { Catalog } from "./catalog.js";
import type { SweepPoint } from "./points.js";
import type { SweepSpec } from "./spec.js";
import type { Knobs, Tool, Workload } from "../core/contracts.js";

/** A tool ready to run: probed once per sweep (never per point). */
export interface PreparedTool {
  tool: Tool;
  identity: ToolIdentity;
}

/** A program to build once, however many runs use it. */
export interface Variant {
  key: string;
  kind: string;
  workload: Workload;
  workloadOptions: Record<string, unknown>;
  knobs: Knobs;
}

export interface PlannedRun {
  key: string;
  variant: Variant;
  tool: PreparedTool;
  /** The reference run whose checksum this one must match (undefined: it is its own reference). */
  referenceKey?: string;
  /** How many (point, tool) pairs of the sweep this run settles (0 for a reference outside the sweep). */
  pairs: number;
  /** A re-measurement of the reference during the sweep, stored apart (kind "drift"). */
  drift?: boolean;
}

export interface SweepPlan {
  points: StoredPoint[];
  /** Runs to execute, in order: exclusive tools first (references first), then the others. */
  runs: PlannedRun[];
  /** Keys of the runs other runs are checked against. */
  referenceKeys: Set<string>;
  /** Checksums of references already finished in the store. */
  knownChecksums: Map<string, string | undefined>;
  totalPairs: number;
  cachedPairs: number;
}

/** The options a spec gives tool `name` (its own, and the sweep's repetitions). */
export function toolOptions(spec: SweepSpec, name: string): Record<string, unknown> {
  return { ...(spec.options.reps === undefined ? {} : { reps: spec.options.reps }), ...spec.options.tools[name] };
}

/** Probes every tool once; an unavailable tool stops the sweep before anything runs. */
export async function prepareTools(spec: SweepSpec, cat: Catalog): Promise<PreparedTool[]> {
  return Promise.all(
    spec.tools.map(async (name, i) => {
      const options = toolOptions(spec, name);
      let tool: Tool;
      try {
        tool = cat.tool(name, options);
      } catch (e) {
        if (e instanceof SimlabError) throw new SimlabError(`${spec.name}: tools[${i}]: ${e.message}`, e.hint);
        throw e;
      }
      const info = await tool.probe();
      if (!info.available) throw new SimlabError(`${spec.name}: tool '${name}' is not available: ${info.reason ?? "probe failed"}`, "install it, or leave it out of tools");
      return { tool, identity: { name, version: info.version ?? "", options: tool.cacheKey() } };
    }),
  );
}

/**
 * Works out which runs a sweep still needs: computes every (point, tool) cache key from the variants'
 * sources (no compiling, no probing), asks the store in one query which are finished, and orders the rest.
 * Linear in the number of runs.
 */
export function planSweep(db: Store, spec: SweepSpec, points: readonly SweepPoint[], tools: readonly PreparedTool[]): SweepPlan {
  // Variants by key; references also by workload and knob setting, since most points share theirs.
  const variants = new Map<string, Variant>();
  const variantOf = (p: SweepPoint, knobs: Knobs): Variant => {
    const key = variantKey(p.kind, p.workloadOptions, p.workload.source(knobs));
    let v = variants.get(key);
    if (!v) variants.set(key, (v = { key, kind: p.kind, workload: p.workload, workloadOptions: p.workloadOptions, knobs }));
    return v;
  };
  const references = new Map<Workload, Map<string, { variant: Variant; runKeys: string[] }>>();
  const referenceOf = (p: SweepPoint, id: string): { variant: Variant; runKeys: string[] } => {
    let mine = references.get(p.workload);
    if (!mine) references.set(p.workload, (mine = new Map()));
    let ref = mine.get(id);
    if (!ref) {
      const variant = variantOf(p, p.reference);
      mine.set(id, (ref = { variant, runKeys: tools.map((t) => runKey(variant.key, t.identity)) }));
    }
    return ref;
  };

  const canonical = new KnobCanonicalizer();
  const stored: StoredPoint[] = [];
  const byKey = new Map<string, PlannedRun>();
  const referenceKeys = new Set<string>();
  for (const p of points) {
    const referenceId = canonical.text(p.reference);
    const reference = referenceOf(p, referenceId);
    const own = referenceId === p.knobsId ? reference.variant : variantOf(p, p.knobs);
    const ref = reference.variant;
    const keys: Record<string, string> = {};
    for (const [i, t] of tools.entries()) {
      const referenceKey = reference.runKeys[i]!;
      const key = own === ref ? referenceKey : runKey(own.key, t.identity);
      keys[t.identity.name] = key;
      const run = byKey.get(key);
      if (run) run.pairs++;
      else byKey.set(key, { key, variant: own, tool: t, referenceKey: referenceKey === key ? undefined : referenceKey, pairs: 1 });
      if (referenceKey !== key) {
        referenceKeys.add(referenceKey);
        if (!byKey.has(referenceKey)) byKey.set(referenceKey, { key: referenceKey, variant: ref, tool: t, pairs: 0 });
      }
    }
    stored.push({ workload: p.kind, group: p.group, knobs: p.knobs, keys });
  }

  const finished = finishedKeys(db, [...byKey.keys()]);
  const knownChecksums = new Map<string, string | undefined>();
  for (const key of referenceKeys) if (finished.has(key)) knownChecksums.set(key, finishedChecksum(db, key).checksum);

  // A reference outside the sweep runs only when some run checked against it still has to run.
  const neededReferences = new Set<string>();
  for (const run of byKey.values()) if (run.referenceKey !== undefined && !finished.has(run.key)) neededReferences.add(run.referenceKey);
  let totalPairs = 0;
  let cachedPairs = 0;
  const missing: PlannedRun[] = [];
  for (const run of byKey.values()) {
    totalPairs += run.pairs;
    if (finished.has(run.key)) cachedPairs += run.pairs;
    else if (run.pairs > 0 || neededReferences.has(run.key)) missing.push(run);
  }

  const byTool = new Map<PreparedTool, PlannedRun[]>(tools.map((t) => [t, []]));
  for (const run of missing) byTool.get(run.tool)!.push(run);
  const runs: PlannedRun[] = [];
  const ordered = [...tools].sort((a, b) => Number(b.tool.exclusive ?? false) - Number(a.tool.exclusive ?? false));
  for (const t of ordered) {
    const mine = byTool.get(t)!;
    const sorted = [...mine.filter((r) => referenceKeys.has(r.key)), ...mine.filter((r) => !referenceKeys.has(r.key))];
    const driftEvery = spec.options.driftEvery;
    const driftVariant = t.tool.exclusive && driftEvery > 0 && sorted.length >= driftEvery ? (sorted.find((r) => referenceKeys.has(r.key)) ?? sorted[0])!.variant : undefined;
    sorted.forEach((run, i) => {
      runs.push(run);
      if (driftVariant && (i + 1) % driftEvery === 0) {
        runs.push({ key: runKey(driftVariant.key, t.identity), variant: driftVariant, tool: t, pairs: 0, drift: true });
      }
    });
  }
  return { points: stored, runs, referenceKeys, knownChecksums, totalPairs, cachedPairs };
}
