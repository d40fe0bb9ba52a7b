import { existsSync } from "node:fs";
import { SimlabError } from "../core/errors.js";
import { canonicalKnobs, findTuning, hostId, openStore, tunedShapes } from "../store/index.js";
import { parseSpaceText } from "../sweep/spec.js";
import type { KnobValue, Knobs } from "../core/contracts.js";
import { toolchainOf } from "./identity.js";
import type { TuneResult } from "./tune.js";

/**
 * The cached winner for a shape on this host and compiler (`simlab best`): nothing runs. An unknown shape is a
 * one-line SimlabError listing the shapes the store knows.
 */
export function bestForShape(options: { db: string; workload: string; shape: string | Knobs; workloadOptions?: Record<string, unknown> }): TuneResult {
  if (!existsSync(options.db)) throw new SimlabError(`no store at ${options.db}`, "tune first: simlab tune --workload … --db FILE");
  const shape: Record<string, KnobValue> = {};
  if (typeof options.shape === "string") {
    for (const [name, values] of Object.entries(parseSpaceText(options.shape.replaceAll(",", " ")))) {
      if (values.length !== 1) throw new SimlabError(`--shape: ${name} has ${values.length} values`, "e.g. --shape M=256,N=256,K=64");
      shape[name] = values[0]!;
    }
  } else Object.assign(shape, options.shape);
  const db = openStore(options.db);
  try {
    const hit = findTuning(db, { workload: options.workload, shape, ...toolchainOf(options.workloadOptions ?? {}), hostId: hostId(db) });
    if (!hit) {
      const known = tunedShapes(db, options.workload);
      throw new SimlabError(`no tuning of ${options.workload} ${canonicalKnobs(shape)} on this host and compiler in ${options.db}`, known.length > 0 ? `tuned shapes: ${known.slice(0, 5).join(" ")}` : `tune it: simlab tune --workload ${options.workload} --space "…" --db ${options.db}`);
    }
    return { ...(hit.result as TuneResult), cached: true };
  } finally {
    db.close();
  }
}
