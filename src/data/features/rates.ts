import type { ColumnTable } from "arquero";
import { SimlabError } from "../../core/errors.js";
import { numericColumn, requireColumn } from "../columns.js";
import { divide, sumColumns } from "./divide.js";

/**
 * A derived rate: sum of `numerator` events over sum of `denominator` events (cachegrind event names).
 * Definitions follow cachegrind's own summary, so the values match `cg_annotate`'s percentages / 100.
 */
export interface RateDefinition {
  name: string;
  numerator: readonly string[];
  denominator: readonly string[];
  description: string;
}

export const cacheRateDefinitions: readonly RateDefinition[] = [
  { name: "I1_miss_rate", numerator: ["I1mr"], denominator: ["Ir"], description: "L1 instruction misses per instruction fetched" },
  { name: "LLi_miss_rate", numerator: ["ILmr"], denominator: ["Ir"], description: "last-level instruction misses per instruction fetched" },
  { name: "D1_miss_rate", numerator: ["D1mr", "D1mw"], denominator: ["Dr", "Dw"], description: "L1 data misses per data access" },
  { name: "D1r_miss_rate", numerator: ["D1mr"], denominator: ["Dr"], description: "L1 data read misses per read" },
  { name: "D1w_miss_rate", numerator: ["D1mw"], denominator: ["Dw"], description: "L1 data write misses per write" },
  { name: "LLd_miss_rate", numerator: ["DLmr", "DLmw"], denominator: ["Dr", "Dw"], description: "last-level data misses per data access" },
  { name: "LL_miss_rate", numerator: ["ILmr", "DLmr", "DLmw"], denominator: ["Ir", "Dr", "Dw"], description: "last-level misses per reference (cachegrind's 'LL miss rate')" },
  { name: "branch_mispredict_rate", numerator: ["Bcm", "Bim"], denominator: ["Bc", "Bi"], description: "mispredicted branches per branch" },
  { name: "cond_mispredict_rate", numerator: ["Bcm"], denominator: ["Bc"], description: "mispredicted conditional branches per conditional branch" },
  { name: "indirect_mispredict_rate", numerator: ["Bim"], denominator: ["Bi"], description: "mispredicted indirect branches per indirect branch" },
  { name: "read_fraction", numerator: ["Dr"], denominator: ["Ir"], description: "data reads per instruction (instruction mix)" },
  { name: "write_fraction", numerator: ["Dw"], denominator: ["Ir"], description: "data writes per instruction (instruction mix)" },
  { name: "cond_branch_fraction", numerator: ["Bc"], denominator: ["Ir"], description: "conditional branches per instruction (instruction mix)" },
  { name: "indirect_branch_fraction", numerator: ["Bi"], denominator: ["Ir"], description: "indirect branches per instruction (instruction mix)" },
];

export interface CacheRateOptions {
  /**
   * Column-name prefixes of the cachegrind event groups, e.g. ["cachegrind.kernel.", "cachegrind.total."]
   * (a prefix is everything before "Ir"). Default: every prefix that has an `Ir` column.
   */
  prefixes?: readonly string[];
}

/**
 * Adds cache miss rates, branch mispredict rates and instruction-mix fractions as `<prefix><rate name>`
 * columns, for every definition whose events are all present under a prefix (branch rates need
 * cachegrind's --branch-sim=yes). Division follows `divide`: 0/0 → 0, x/0 → NaN.
 */
export function cacheRates(table: ColumnTable, options: CacheRateOptions = {}): ColumnTable {
  const prefixes = options.prefixes ?? detectPrefixes(table);
  if (prefixes.length === 0) {
    throw new SimlabError("no cachegrind event columns in the table (no column named Ir or ending in .Ir)", "load a sweep with cachegrind statistics, or pass the prefixes of its columns");
  }
  const derived: Record<string, Float64Array> = {};
  for (const prefix of prefixes) {
    requireColumn(table, `${prefix}Ir`);
    const has = (event: string): boolean => table.column(`${prefix}${event}`) !== undefined;
    for (const rate of cacheRateDefinitions) {
      if (![...rate.numerator, ...rate.denominator].every(has)) continue;
      derived[`${prefix}${rate.name}`] = ratio(table, rate.numerator.map((e) => prefix + e), rate.denominator.map((e) => prefix + e));
    }
  }
  return table.assign(derived);
}

/** sum(numerators) / sum(denominators) per row, with `divide`'s rule for zero denominators. */
export function ratio(table: ColumnTable, numerators: readonly string[], denominators: readonly string[]): Float64Array {
  const num = sumColumns(numerators.map((c) => numericColumn(table, c)));
  const den = sumColumns(denominators.map((c) => numericColumn(table, c)));
  return num.map((n, i) => divide(n, den[i]!));
}

/** Adds one ratio column `name` = sum(numerators) / sum(denominators). */
export function addRatio(table: ColumnTable, name: string, numerators: string | readonly string[], denominators: string | readonly string[]): ColumnTable {
  const list = (v: string | readonly string[]): readonly string[] => (typeof v === "string" ? [v] : v);
  return table.assign({ [name]: ratio(table, list(numerators), list(denominators)) });
}

/** Prefixes under which an `Ir` column exists: "" for `Ir`, "cachegrind.kernel." for `cachegrind.kernel.Ir`. */
export function detectPrefixes(table: ColumnTable): string[] {
  return table
    .columnNames()
    .filter((n) => n === "Ir" || n.endsWith(".Ir"))
    .map((n) => n.slice(0, -2));
}
