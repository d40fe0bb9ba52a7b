import type { ColumnTable } from "arquero";
import { SimlabError } from "../core/errors.js";
import { fromRecords } from "../data/from-records.js";
import { isColumnTable } from "../core/guards.js";

/** What figures accept as data: an arquero table or an array of plain records. */
export type TableLike = ColumnTable | readonly Record<string, unknown>[];

/** One row of a predictions table (PRED.csv): extra columns (knobs) are shown on hover. */
export interface PredictionRow {
  measured: number;
  predicted: number;
  group?: string | number;
  fold?: number;
  row?: number;
  [knob: string]: unknown;
}

/** One group's metric: where its truly fastest variant landed in the predicted ranking, in % of the group. */
export interface BestRankRow {
  group: string | number;
  bestRankPercent: number;
}

export interface ImportanceRow {
  feature: string;
  importance: number;
}


/** An arquero table from a table or an array of records; anything else is a SimlabError naming `what`. */
export function asTable(value: unknown, what: string): ColumnTable {
  if (isColumnTable(value)) return value;
  if (Array.isArray(value) && value.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) return fromRecords(value as Record<string, unknown>[]);
  throw new SimlabError(`${what} must be an arquero table or an array of records, not ${describe(value)}`, "pass the table %load, %fit or %eval returned");
}

/**
 * Finds the list of records inside a result object: the value itself when it is a table or an array, else
 * the first of `fields` (dotted paths allowed, e.g. "metrics.groups") that holds one, or holds an object
 * keyed by group.
 */
export function findRecords(value: unknown, fields: readonly string[], what: string): ColumnTable {
  if (isColumnTable(value) || Array.isArray(value)) return asTable(value, what);
  if (typeof value === "object" && value !== null) {
    for (const field of fields) {
      const inner = field.split(".").reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), value);
      if (isColumnTable(inner) || Array.isArray(inner)) return asTable(inner, what);
      if (typeof inner === "object" && inner !== null) return fromKeyed(inner as Record<string, unknown>, what);
    }
  }
  throw new SimlabError(`${what} must be a table, an array of records or an object with ${fields.map((f) => `"${f}"`).join(" or ")}, not ${describe(value)}`, "pass the value %fit or %eval returned");
}

/** `{ gemm: {bestRankPercent: 1}, mvm: {…} }` → rows with a `group` column. */
function fromKeyed(value: Record<string, unknown>, what: string): ColumnTable {
  const rows = Object.entries(value).map(([group, v]) => {
    if (typeof v !== "object" || v === null) throw new SimlabError(`${what}: the entry for "${group}" is not an object`, "expected one metrics object per group");
    return { group, ...(v as Record<string, unknown>) };
  });
  return fromRecords(rows);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array of non-records";
  return typeof value === "object" ? `an object with keys ${Object.keys(value as object).slice(0, 6).join(", ") || "(none)"}` : `a ${typeof value}`;
}
