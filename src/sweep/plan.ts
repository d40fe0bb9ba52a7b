import { SimlabError } from "../core/errors.js";
import { finishedChecksum, finishedKeys, type StoredPoint } from "../store/index.js";
import type { Store } from "../store/open.js";
import { KnobCanonicalizer } from "../store/sweeps.js";
import { runKey, variantKey, type ToolIdentity } from "./cache-key.js";
import type { Catalog } from "./catalog.js";
import type { SweepPoint } from "./points.js";
import type { SweepSpec } from "./spec.js";
import { RunFailure, type Knobs, type Tool, type ToolInfo, type Workload } from "../core/contracts.js";
import type { Isa } from "../core/isa.js";

/** A tool ready to run: probed once per sweep (never per point). */
export interface PreparedTool {
  tool: Tool;
  identity: ToolIdentity;
  /** Where its runs happen when not on this host (a board): the runs' recorded host. */
  runsOn?: ToolInfo["host"];
}

/** A program to build once, however many runs use it. */
export interface Variant {
  key: string;
  kind: string;
  workload: Workload;
  workloadOptions: Record<string, unknown>;
  knobs: Knobs;
  /** Provenance of the build: its target ISA (undefined: the host's), compiler identity and flags. */
  build: { isa?: Isa; compiler?: string; flags: readonly string[] };
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
  /**
   * Set on a shape's reference run on a non-primary ISA: `referenceKey` is then the primary ISA's reference
   * (this ISA), so references agree across ISAs. The check holds when both ran; a failed primary fails nothing.
   */
  crossIsa?: Isa;
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

/** The options a spec gives tool `name`: its own, the sweep's repetitions, and the board for native runs. */
export function toolOptions(spec: SweepSpec, name: string): Record<string, unknown> {
  const board = name === "native" && spec.target ? { target: spec.target } : {};
  return { ...(spec.options.reps === undefined ? {} : { reps: spec.options.reps }), ...board, ...spec.options.tools[name] };
}

/**
 * Probes every tool once; an unavailable tool stops the sweep before anything runs — except a board that cannot
 * be reached or is not the declared ISA: its native runs fail with that one line and the other tools' runs go
 * on. On a throw, the tools made so far are closed; otherwise the caller closes them (`closeTools`).
 */
export async function prepareTools(spec: SweepSpec, cat: Catalog): Promise<PreparedTool[]> {
  const tools: Tool[] = [];
  try {
    spec.tools.forEach((name, i) => {
      const options = toolOptions(spec, name);
      try {
        tools.push(cat.tool(name, options));
      } catch (e) {
        if (e instanceof SimlabError) throw new SimlabError(`${spec.name}: tools[${i}]: ${e.message}`, e.hint);
        throw e;
      }
    });
    return await Promise.all(
      tools.map(async (tool, i): Promise<PreparedTool> => {
        const name = spec.tools[i]!;
        const info = await tool.probe();
        if (!info.available && name === "native" && spec.target) {
          const failure = new RunFailure("unavailable", info.reason ?? `board ${spec.target.ssh} is not available`);
          return { tool: failingTool(tool, failure), identity: { name, version: "unavailable", options: tool.cacheKey() } };
        }
        if (!info.available) throw new SimlabError(`${spec.name}: tool '${name}' is not available: ${info.reason ?? "probe failed"}`, "install it, or leave it out of tools");
        return { tool, identity: { name, version: info.version ?? "", options: tool.cacheKey() }, ...(info.host ? { runsOn: info.host } : {}) };
      }),
    );
  } catch (e) {
    await closeTools(tools);
    throw e;
  }
}

/** Closes every tool that holds something (a board's connection and folder); never throws. */
export async function closeTools(tools: readonly Tool[]): Promise<void> {
  await Promise.all(tools.map((t) => t.close?.().catch(() => undefined)));
}

/** A tool whose every run fails with `failure` (a board that cannot be reached): recorded, not thrown. */
function failingTool(tool: Tool, failure: RunFailure): Tool {
  return {
    name: tool.name,
    exclusive: tool.exclusive,
    probe: () => tool.probe(),
    cacheKey: () => tool.cacheKey(),
    run: async () => {
      throw failure;
    },
    close: () => tool.close?.() ?? Promise.resolve(),
  };
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
    const source = p.workload.source(knobs);
    const key = variantKey(p.kind, p.workloadOptions, source);
    let v = variants.get(key);
    if (!v) {
      const build = { ...(source.isa ? { isa: source.isa } : {}), compiler: source.compiler, flags: source.flags };
      variants.set(key, (v = { key, kind: p.kind, workload: p.workload, workloadOptions: p.workloadOptions, knobs, build }));
    }
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
  // Each shape's reference run keys on its workload's primary ISA (spec workload index + reference knobs).
  const primaryReferences = new Map<string, string[]>();
  const crossReferences: { shape: string; primaryIsa: Isa; runKeys: string[] }[] = [];
  const linked = new Set<{ runKeys: string[] }>();
  const stored: StoredPoint[] = [];
  const byKey = new Map<string, PlannedRun>();
  const referenceKeys = new Set<string>();
  for (const p of points) {
    const referenceId = canonical.text(p.reference);
    const reference = referenceOf(p, referenceId);
    const own = referenceId === p.knobsId ? reference.variant : variantOf(p, p.knobs);
    const ref = reference.variant;
    if (p.isa !== undefined && !linked.has(reference)) {
      linked.add(reference);
      const shape = `${p.workloadIndex}\t${referenceId}`;
      if (p.isa === p.primaryIsa) primaryReferences.set(shape, reference.runKeys);
      else crossReferences.push({ shape, primaryIsa: p.primaryIsa!, runKeys: reference.runKeys });
    }
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
    // The ISA leads the stored coordinates: part of the point's identity, and the wide table's first knob column.
    stored.push({ workload: p.kind, group: p.group, knobs: p.isa === undefined ? p.knobs : { isa: p.isa, ...p.knobs }, keys });
  }
  for (const cross of crossReferences) {
    const primary = primaryReferences.get(cross.shape);
    if (!primary) continue;
    cross.runKeys.forEach((key, i) => {
      const run = byKey.get(key)!;
      const primaryKey = primary[i]!;
      if (run.referenceKey !== undefined || primaryKey === key) return;
      run.referenceKey = primaryKey;
      run.crossIsa = cross.primaryIsa;
      referenceKeys.add(primaryKey);
    });
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
    const driftVariant = t.tool.exclusive && driftEvery > 0 && sorted.length >= driftEvery ? (sorted.find((r) => referenceKeys.has(r.key) && r.variant.build.isa === undefined) ?? sorted.find((r) => referenceKeys.has(r.key)) ?? sorted[0])!.variant : undefined;
    sorted.forEach((run, i) => {
      runs.push(run);
      if (driftVariant && (i + 1) % driftEvery === 0) {
        runs.push({ key: runKey(driftVariant.key, t.identity), variant: driftVariant, tool: t, pairs: 0, drift: true });
      }
    });
  }
  return { points: stored, runs, referenceKeys, knownChecksums, totalPairs, cachedPairs };
}
