import type { ColumnTable } from "arquero";
import { SimlabError } from "../../core/errors.js";
import { isNumericColumn, numericColumn } from "../columns.js";
import { groupIndex } from "./normalise.js";
import { simulatorFeatures } from "./simulator-features.js";

/**
 * The simulator recipe over several sources. A source is a `<tool>.<scope>` prefix of event columns
 * (`cachegrind.kernel.Ir`, `mca.kernel.cycles`): simulator statistics, never a measurement of the target, so
 * `native.*` is not a source. Sources with an `Ir` column get cachegrind's recipe (simulatorFeatures); any
 * other source's events become per-group log ratios ln((v + 1) / (min_g v + 1)).
 */
export interface SimulatorRecipe {
  kind: "simulator";
  /** `tool.scope` prefixes, e.g. ["cachegrind.kernel"]. */
  sources: string[];
  group: string;
}

const EVENT = /^[A-Za-z][A-Za-z0-9]*$/;

/** Every `tool.scope` prefix with at least one numeric event column (events are plain names like `Ir`, `D1mr`). */
export function simulatorSources(table: ColumnTable): string[] {
  const sources = new Set<string>();
  for (const name of table.columnNames()) {
    const parts = name.split(".");
    if (parts.length !== 3 || !EVENT.test(parts[2]!) || /^native$/i.test(parts[0]!)) continue;
    if (isNumericColumn(table, name)) sources.add(`${parts[0]}.${parts[1]}`);
  }
  return [...sources];
}

/**
 * The sources `--features simulator` uses: every tool present, each at its `kernel` scope when it has one (a
 * tool's `total` scope is the kernel plus start-up and input set-up that every variant of a group shares, so it
 * adds no information about the kernel and only dilutes it), otherwise at each scope it has.
 */
export function defaultSources(table: ColumnTable): string[] {
  const all = simulatorSources(table);
  return all.filter((s) => {
    const [tool, scope] = s.split(".") as [string, string];
    return scope === "kernel" || !all.includes(`${tool}.kernel`);
  });
}

/**
 * Parses `simulator` (every tool, see defaultSources) or `simulator=cachegrind.kernel[+mca.kernel]` into the recipe's
 * sources, checking that each is in the table.
 */
export function recipeSources(table: ColumnTable, spec: string): string[] {
  const present = simulatorSources(table);
  const eq = spec.indexOf("=");
  const wanted = eq < 0 ? defaultSources(table) : spec.slice(eq + 1).split("+").map((s) => s.trim()).filter(Boolean);
  if (present.length === 0) throw new SimlabError("--features simulator: the table has no simulator columns (<tool>.<scope>.<event>, e.g. cachegrind.kernel.Ir)", "load a sweep with simulator statistics, or name the feature columns");
  for (const s of wanted) {
    if (!present.includes(s)) throw new SimlabError(`--features ${spec}: the table has no ${s}.<event> columns`, `sources present: ${present.join(", ")}`);
  }
  return wanted;
}

/** The recipe's feature columns added to the table, and their names. */
export function applySimulatorRecipe(table: ColumnTable, recipe: SimulatorRecipe): { table: ColumnTable; features: string[] } {
  let out = table;
  const features: string[] = [];
  for (const source of recipe.sources) {
    const [tool, scope] = source.split(".") as [string, string];
    if (out.column(`${source}.Ir`) !== undefined && (scope === "kernel" || scope === "total")) {
      const r = simulatorFeatures(out, { group: recipe.group, tool, scope });
      out = r.table;
      features.push(...r.features);
      continue;
    }
    const events = out.columnNames().filter((c) => c.startsWith(`${source}.`) && EVENT.test(c.slice(source.length + 1)));
    if (events.length === 0) throw new SimlabError(`the table has no ${source}.<event> columns, which the model needs`, "apply the model to data from the same simulators it was trained on");
    const { ids, count } = groupIndex(out, [recipe.group]);
    const added: Record<string, Float64Array> = {};
    for (const c of events) {
      const v = numericColumn(out, c);
      const min = new Float64Array(count).fill(Infinity);
      v.forEach((x, i) => (min[ids[i]!] = Math.min(min[ids[i]!]!, x)));
      added[`${c}_log_rel`] = v.map((x, i) => Math.log((x + 1) / (min[ids[i]!]! + 1)));
    }
    out = out.assign(added);
    features.push(...Object.keys(added));
  }
  return { table: out, features };
}
