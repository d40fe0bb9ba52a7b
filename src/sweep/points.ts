import { SimlabError } from "../core/errors.js";
import { canonicalKnobs, KnobCanonicalizer } from "../store/sweeps.js";
import type { Catalog } from "./catalog.js";
import { DEFAULT_MAX_POINTS, workloadIsas, type SweepSpec, type WorkloadSpec } from "./spec.js";
import type { KnobValue, Knobs, Workload } from "../core/contracts.js";
import { hostIsa, type Isa } from "../core/isa.js";

/** One variant of a sweep: a workload kind with a full knob setting (defaults filled in). */
export interface SweepPoint {
  kind: string;
  workload: Workload;
  workloadOptions: Record<string, unknown>;
  /** Operator + shape (+ ISA when the spec names one), e.g. "gemm M=64 N=64 K=64 isa=aarch64": points of one group compute the same result on one ISA. */
  group: string;
  /** The target ISA when the spec names ISAs (undefined: the host's, implicitly). */
  isa?: Isa;
  /** The ISA whose reference run this point's shape is compared with across ISAs (the host's when swept, else the first). */
  primaryIsa?: Isa;
  /** Index of the spec's workload the point comes from: with the reference knobs, the shape across ISAs. */
  workloadIndex: number;
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

/** How many points a workload's space gives (on each of its ISAs), computed without expanding it. */
function pointCount(spec: SweepSpec, w: WorkloadSpec): number {
  if (w.points) return w.points.length * (workloadIsas(spec, w)?.length ?? 1);
  const size = Object.values(w.space).reduce((n, values) => n * values.length, 1);
  return (w.sample ? Math.min(w.sample.n, size) : size) * (workloadIsas(spec, w)?.length ?? 1);
}

/** Refuses a sweep above `spec.options.maxPoints` before any point is made. */
function checkSize(spec: SweepSpec, origin: string): void {
  const total = spec.workloads.reduce((n, w) => n + pointCount(spec, w), 0);
  const limit = spec.options.maxPoints ?? DEFAULT_MAX_POINTS;
  if (total > limit) {
    const shown = total < 1e15 ? total.toLocaleString("en-US") : total.toExponential(2);
    throw new SimlabError(`${origin}: the sweep has ${shown} points, more than the limit of ${limit.toLocaleString("en-US")}`, 'sample the space ("sample": {"n": 1000, "seed": 0}) or raise options.maxPoints');
  }
}

/**
 * Expands every workload's grid or sample into points, validating each (one SimlabError naming the point).
 * A workload's own points are distinct by construction (its space lists each value once, and each ISA is a
 * pass of its own); only a kind that an earlier workload of the spec also sweeps is checked for points seen before.
 */
export function expandPoints(spec: SweepSpec, cat: Catalog, origin = spec.name): SweepPoint[] {
  checkSize(spec, origin);
  const points: SweepPoint[] = [];
  const workloadsOfKind = new Map<string, number>();
  for (const w of spec.workloads) workloadsOfKind.set(w.kind, (workloadsOfKind.get(w.kind) ?? 0) + 1);
  const seenByKind = new Map<string, Set<string>>();
  const canonical = new KnobCanonicalizer();
  spec.workloads.forEach((w, i) => {
    const isas = workloadIsas(spec, w);
    // Without ISAs in the spec: one pass for the host, with the points of a sweep that never heard of ISAs.
    const passes: (Isa | undefined)[] = isas ?? [undefined];
    const host = hostIsa();
    const primaryIsa = isas && (isas.find((isa) => isa === host) ?? isas[0]);
    if (!seenByKind.has(w.kind) && workloadsOfKind.get(w.kind)! > 1) seenByKind.set(w.kind, new Set());
    for (const isa of passes) {
      let workload: Workload;
      try {
        // The host's ISA builds as if none were named, so its cache keys are those of a sweep without `isa`.
        workload = cat.workload(w.kind, w.options, isa === host ? undefined : isa);
      } catch (e) {
        if (e instanceof SimlabError) throw new SimlabError(`${origin}: workloads[${i}].options: ${e.message}`, e.hint);
        throw e;
      }
      expandWorkload(w, i, workload, isa, primaryIsa);
    }
  });
  return points;

  function expandWorkload(w: WorkloadSpec, i: number, workload: Workload, isa: Isa | undefined, primaryIsa: Isa | undefined): void {
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
    const seen = seenByKind.get(w.kind);
    for (const p of expanded) {
      const knobsId = canonical.text(p.knobs);
      if (seen) {
        const identity = isa === undefined ? knobsId : `${isa}\t${knobsId}`;
        if (seen.has(identity)) continue;
        seen.add(identity);
      }
      let group = w.kind;
      for (const name of shape) group += ` ${name}=${p.reference[name]}`;
      if (isa !== undefined) group += ` isa=${isa}`; // groups never mix ISAs
      points.push({ kind: w.kind, workload, workloadOptions: w.options, group, knobs: p.knobs, knobsId, reference: p.reference, workloadIndex: i, ...(isa ? { isa, primaryIsa } : {}) });
    }
  }
}
