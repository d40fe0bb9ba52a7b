import { SimlabError } from "../core/errors.js";
import { canonicalKnobs } from "../store/index.js";
import { catalog as defaultCatalog, type Catalog } from "../sweep/catalog.js";
import { expandPoints } from "../sweep/points.js";
import { parseSpaceText, parseSpec } from "../sweep/spec.js";
import type { KnobValue, Knobs } from "../core/contracts.js";

/** What a tuner searches: the variants of one workload at one shape. */
export interface TuneSpace {
  kind: string;
  space: Record<string, KnobValue[]>;
  workloadOptions: Record<string, unknown>;
  /** Every candidate's full knob setting (defaults filled in), in grid order. */
  candidates: Knobs[];
  /** The plain schedule of the shape: the speed-up's baseline and every candidate's checksum reference. */
  reference: Knobs;
  /** e.g. "gemm M=64 N=64 K=64". */
  group: string;
  /** The knobs naming the shape, e.g. { M: 64, N: 64, K: 64 }. */
  shape: Knobs;
  /** Index of a candidate by canonicalKnobs. */
  index: Map<string, number>;
}

/**
 * The candidates of a workload's space, validated like a sweep's (every problem one SimlabError). One shape per
 * tuning: a space spanning several (e.g. M=64,128) is refused, since each shape has its own winner.
 */
export function tuneSpace(kind: string, space: string | Record<string, KnobValue[]>, workloadOptions: Record<string, unknown> = {}, cat: Catalog = defaultCatalog): TuneSpace {
  const knobs = typeof space === "string" ? parseSpaceText(space) : space;
  const spec = parseSpec({ name: "tune", workloads: [{ kind, space: knobs, options: workloadOptions }], tools: ["native"] }, "--workload/--space", { catalog: cat });
  const workload = spec.workloads[0]!;
  const points = expandPoints(spec, cat, "--space");
  const groups = [...new Set(points.map((p) => p.group))];
  if (groups.length > 1) throw new SimlabError(`--space spans ${groups.length} shapes (${groups.slice(0, 3).join("; ")}…); a tuning is for one shape`, "give each shape knob one value, and tune each shape on its own");
  const first = points[0];
  if (!first) throw new SimlabError("--space has no points", 'e.g. --space "M=64 N=64 K=64 order=ijk,ikj"');
  const shape: Record<string, KnobValue> = {};
  for (const word of first.group.split(" ").slice(1)) {
    const name = word.slice(0, word.indexOf("="));
    shape[name] = first.reference[name]!;
  }
  const candidates = points.map((p) => p.knobs);
  return {
    kind,
    space: workload.space,
    workloadOptions: workload.options,
    candidates,
    reference: first.reference,
    group: first.group,
    shape,
    index: new Map(candidates.map((k, i) => [canonicalKnobs(k), i])),
  };
}
