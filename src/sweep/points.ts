import { SimlabError } from "../core/errors.js";
import { canonicalKnobs, KnobCanonicalizer } from "../store/sweeps.js";
import type { Catalog } from "./catalog.js";
import { DEFAULT_MAX_POINTS, type SweepSpec, type WorkloadSpec } from "./spec.js";
import type { KnobValue, Knobs, Workload } from "../core/contracts.js";

/** One variant of a sweep: a workload kind with a full knob setting (defaults filled in). */
export interface SweepPoint {
  kind: string;
  workload: Workload;
  workloadOptions: Record<string, unknown>;
  /** Operator + shape, e.g. "gemm M=64 N=64 K=64": points of one group compute the same result. */
  group: string;
  knobs: Knobs;
  /** canonicalKnobs(knobs): the point's identity within its workload. */
  knobsId: string;
  /** The plain-schedule variant of the same shape, whose checksum every point of the group must match. */
  reference: Knobs;
}

function defaults(cat: Catalog, kind: string): Knobs {
  const filled: Record<string, KnobValue> = {};
  for (const domain of cat.knobDomains(kind)) if (domain.default !== undefined) filled[domain.name] = domain.default;
  return filled;
}

/**
 * The group label: the knobs the reference keeps from every point (the shape) that the spec sweeps or
 * fixes; a knob reset to its plain value for any point is a schedule knob and is left out.
 */
function shapeKnobs(spec: WorkloadSpec, points: readonly { knobs: Knobs; reference: Knobs }[]): string[] {
  const first = points[0];
  if (!first) return [];
  const kept = Object.keys(first.reference).filter((name) => points.every((p) => p.reference[name] === p.knobs[name]));
  const named = kept.filter((name) => name in spec.space);
  return named.length > 0 ? named : kept;
}

/** How many points a workload's space gives, computed without expanding it. */
function pointCount(w: WorkloadSpec): number {
  if (w.points) return w.points.length;
  const size = Object.values(w.space).reduce((n, values) => n * values.length, 1);
  return w.sample ? Math.min(w.sample.n, size) : size;
}

/** Refuses a sweep above `spec.options.maxPoints` before any point is made. */
function checkSize(spec: SweepSpec, origin: string): void {
  const total = spec.workloads.reduce((n, w) => n + pointCount(w), 0);
  const limit = spec.options.maxPoints ?? DEFAULT_MAX_POINTS;
  if (total > limit) {
    const shown = total < 1e15 ? total.toLocaleString("en-US") : total.toExponential(2);
    throw new SimlabError(`${origin}: the sweep has ${shown} points, more than the limit of ${limit.toLocaleString("en-US")}`, 'sample the space ("sample": {"n": 1000, "seed": 0}) or raise options.maxPoints');
  }
}

/**
 * Expands every workload's grid or sample into points, validating each (one SimlabError naming the point).
 * A workload's own points are distinct by construction (its space lists each value once); only a kind that
 * an earlier workload of the spec also sweeps is checked for points seen before.
 */
export function expandPoints(spec: SweepSpec, cat: Catalog, origin = spec.name): SweepPoint[] {
  checkSize(spec, origin);
  const points: SweepPoint[] = [];
  const workloadsOfKind = new Map<string, number>();
  for (const w of spec.workloads) workloadsOfKind.set(w.kind, (workloadsOfKind.get(w.kind) ?? 0) + 1);
  const seenByKind = new Map<string, Set<string>>();
  const canonical = new KnobCanonicalizer();
  spec.workloads.forEach((w, i) => {
    let workload: Workload;
    try {
      workload = cat.workload(w.kind, w.options);
    } catch (e) {
      if (e instanceof SimlabError) throw new SimlabError(`${origin}: workloads[${i}].options: ${e.message}`, e.hint);
      throw e;
    }
    const space = Object.keys(w.space).length > 0 ? w.space : {};
    const knobsList = w.points ?? (w.sample ? cat.sample(space, w.sample.n, w.sample.seed) : cat.grid(space));
    const filled = defaults(cat, w.kind);
    const withDefaults = Object.keys(filled).length > 0 ? (knobs: Knobs): Knobs => ({ ...filled, ...knobs }) : (knobs: Knobs) => knobs;
    const expand = (list: readonly Knobs[]) =>
      list.map((raw) => {
        const knobs = withDefaults(raw);
        try {
          workload.validate(knobs);
          return { knobs, reference: withDefaults(workload.reference(knobs)) };
        } catch (e) {
          if (e instanceof SimlabError) throw new SimlabError(`${origin}: workloads[${i}] point ${canonicalKnobs(raw)}: ${e.message}`, e.hint);
          throw e;
        }
      });
    const expanded = expand(knobsList);
    // Explicit points are named by the groups of their space's grid, so a tuner's picks share the sweep's groups.
    const shape = shapeKnobs(w, w.points && Object.keys(space).length > 0 ? expand(cat.grid(space)) : expanded);
    let seen = seenByKind.get(w.kind);
    if (!seen && workloadsOfKind.get(w.kind)! > 1) seenByKind.set(w.kind, (seen = new Set()));
    for (const p of expanded) {
      const knobsId = canonical.text(p.knobs);
      if (seen) {
        if (seen.has(knobsId)) continue;
        seen.add(knobsId);
      }
      let group = w.kind;
      for (const name of shape) group += ` ${name}=${p.reference[name]}`;
      points.push({ kind: w.kind, workload, workloadOptions: w.options, group, knobs: p.knobs, knobsId, reference: p.reference });
    }
  });
  return points;
}
