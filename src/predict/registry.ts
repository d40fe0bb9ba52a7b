import { SimlabError } from "../core/errors.js";
import type { Estimator, EstimatorJSON } from "./estimator.js";
import { type ModelEntry, type ParamSchema, type ParamSpec, type ParamsOf, modelTable } from "./models/model-table.js";

/** Every model simlab can fit, by name, with its typed parameters — derived from the model table. */
export type ModelName = keyof typeof modelTable;
export type ModelParams = { [N in ModelName]: ParamsOf<(typeof modelTable)[N]["params"]> };

export const modelNames = Object.keys(modelTable) as ModelName[];

/** The parameter names each model accepts. */
export const modelParamNames = Object.fromEntries(modelNames.map((n) => [n, Object.keys(modelTable[n].params)])) as unknown as {
  readonly [N in ModelName]: readonly (keyof ModelParams[N] & string)[];
};

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(modelTable, name);
}

function checkModelName(name: string): asserts name is ModelName {
  if (!isModelName(name)) throw new SimlabError(`unknown model '${name}'`, `models are ${modelNames.join(", ")}`);
}

function entryOf(name: ModelName): ModelEntry {
  return modelTable[name] as unknown as ModelEntry;
}

/** The schema of a model's parameters (type, range, default, help). */
export function modelSchema(name: string): ParamSchema {
  checkModelName(name);
  return entryOf(name).params;
}

/**
 * Checks parameter names, types and ranges against the model's schema, before any work starts. Every mistake is
 * a one-line SimlabError naming the parameter, its valid range and the value given.
 */
export function checkModelParams(name: string, params: object): void {
  const schema = modelSchema(name);
  for (const [key, value] of Object.entries(params)) {
    const spec = schema[key];
    if (!spec) throw new SimlabError(`model '${name}' has no parameter '${key}'`, `its parameters are ${Object.keys(schema).join(", ")}`);
    if (value === undefined) continue;
    const problem = valueProblem(spec, value);
    if (problem) throw new SimlabError(`model '${name}': ${snake(key)}=${show(value)} ${problem}`, `${snake(key)}: ${spec.help}; ${rangeText(spec)}`);
  }
}

/** Why a value does not fit its spec, or undefined when it does. */
function valueProblem(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case "integer":
    case "number": {
      if (typeof value !== "number" || Number.isNaN(value)) return `is not a number`;
      if (spec.type === "integer" && !Number.isInteger(value)) return "is not an integer";
      const low = spec.type === "number" && spec.exclusiveMin ? value <= spec.min : value < spec.min;
      if (low || value > spec.max) return "is out of range";
      return undefined;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : "is not true or false";
    case "choice":
      return typeof value === "string" && spec.choices.includes(value) ? undefined : "is not one of the choices";
    case "signs": {
      const signs = typeof value === "number" ? [value] : Array.isArray(value) ? (value as unknown[]) : undefined;
      return signs && signs.length > 0 && signs.every((s) => s === -1 || s === 0 || s === 1) ? undefined : "is not -1, 0 or 1 (or a list of them)";
    }
  }
}

function rangeText(spec: ParamSpec): string {
  switch (spec.type) {
    case "integer":
      return `an integer from ${spec.min} to ${spec.max}${spec.default !== undefined ? ` (default ${spec.default})` : ""}`;
    case "number":
      return `a number ${spec.exclusiveMin ? ">" : "≥"} ${spec.min} and ≤ ${spec.max}${spec.default !== undefined ? ` (default ${spec.default})` : ""}`;
    case "boolean":
      return `true or false (default ${spec.default})`;
    case "choice":
      return `one of ${spec.choices.join(", ")} (default ${spec.default})`;
    case "signs":
      return "e.g. monotonic_cst=1 or monotonic_cst=1:0:-1";
  }
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const show = (v: unknown) => (Array.isArray(v) ? v.join(":") : String(v));

/** The schema's defaults of a model (parameters without a default are left out). */
export function modelDefaults(name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(modelSchema(name)).flatMap(([k, s]) => ("default" in s && s.default !== undefined ? [[k, s.default]] : [])));
}

/** A new, unfitted estimator; the parameters are checked first. Async because the xgboost backend loads WebAssembly. */
export async function createEstimator<N extends ModelName>(name: N, params: Partial<ModelParams[N]> = {}): Promise<Estimator> {
  checkModelName(name);
  checkModelParams(name, params);
  return entryOf(name).create(params as Partial<ParamsOf<ParamSchema>>);
}

/** Rebuilds a fitted estimator from its `toJSON()` form. */
export async function estimatorFromJSON(json: EstimatorJSON): Promise<Estimator> {
  checkModelName(json.model);
  return entryOf(json.model).fromJSON(json);
}

/**
 * Parses "max_depth=8,learningRate=0.05,bootstrap=false" (snake_case or camelCase names) into model parameters
 * typed by the schema; unknown names, mistyped or out-of-range values are SimlabErrors.
 */
export function parseModelParams(name: string, text: string | undefined): Record<string, number | boolean | string | number[]> {
  const schema = modelSchema(name);
  const out: Record<string, number | boolean | string | number[]> = {};
  for (const item of (text ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new SimlabError(`model parameter '${item}' is not name=value`, "write e.g. --params max_depth=8,seed=1");
    const key = item.slice(0, eq).trim().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const raw = item.slice(eq + 1).trim();
    const spec = schema[key];
    if (!spec) throw new SimlabError(`model '${name}' has no parameter '${key}'`, `its parameters are ${Object.keys(schema).join(", ")}`);
    out[key] = parseValue(spec, raw);
  }
  checkModelParams(name, out);
  return out;
}

/** The value as the spec's type (numbers from text; NaN when the text is not a number, which the check reports). */
function parseValue(spec: ParamSpec, raw: string): number | boolean | string | number[] {
  const num = (s: string) => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : NaN);
  switch (spec.type) {
    case "integer":
    case "number":
      return num(raw);
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "choice":
      return raw;
    case "signs":
      return raw.includes(":") ? raw.split(":").map(num) : num(raw);
  }
}
