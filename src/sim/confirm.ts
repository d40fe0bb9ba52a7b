import { SimlabError } from "../core/errors.js";

/**
 * The confirmation phase of native measurement: the variants of a group within `within` of its best are
 * re-measured interleaved, one run each per round (rotating who goes first), until the order of their running
 * minima has stayed the same for `stable` rounds in a row or `rounds` rounds are spent. The near-ties that
 * decide "the truly fastest variant" are then judged on several measurements taken side by side in time,
 * not on one each taken minutes apart.
 */
export interface ConfirmOptions {
  /** Relative distance from the group's best that makes a variant a candidate (default 0.05 = 5 %). */
  within: number;
  /** The budget: at most this many rounds (default 6). */
  rounds: number;
  /** Stop once the order is unchanged for this many consecutive rounds (default 2). */
  stable: number;
}

export const DEFAULT_CONFIRM: ConfirmOptions = { within: 0.05, rounds: 6, stable: 2 };

/** A candidate's result: its confirmed minimum and how much its own measurements spread. */
export interface Confirmed {
  /** The minimum over the first measurement and every round. */
  runtime_min_s: number;
  /** The first measurement's minimum (before confirmation). */
  runtime_first_min_s: number;
  /** Rounds the group ran (the same for all its candidates). */
  confirm_rounds: number;
  /** (largest − smallest) / smallest of the candidate's per-measurement minima. */
  confirm_spread: number;
}

const WHERE = "options.tools.native.confirm";

/** Validates the spec's `options.tools.native.confirm` ({} or true = defaults); SimlabError naming the field. */
export function parseConfirmOptions(raw: unknown): ConfirmOptions {
  if (raw === true) return { ...DEFAULT_CONFIRM };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SimlabError(`${WHERE}: expected {"within": 0.05, "rounds": 6, "stable": 2} or true, got ${JSON.stringify(raw)}`, "leave out fields to take their defaults");
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(key in DEFAULT_CONFIRM)) throw new SimlabError(`${WHERE}.${key}: unknown field`, "fields are within, rounds, stable");
  }
  const within = o.within ?? DEFAULT_CONFIRM.within;
  if (typeof within !== "number" || !(within > 0) || !Number.isFinite(within)) throw new SimlabError(`${WHERE}.within: expected a positive fraction like 0.05, got ${JSON.stringify(within)}`, "0.05 re-measures variants within 5 % of the group's best");
  const int = (key: "rounds" | "stable", min: number): number => {
    const v = o[key] ?? DEFAULT_CONFIRM[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) throw new SimlabError(`${WHERE}.${key}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}`, `default ${DEFAULT_CONFIRM[key]}`);
    return v;
  };
  const options = { within, rounds: int("rounds", 1), stable: int("stable", 1) };
  if (options.stable > options.rounds) throw new SimlabError(`${WHERE}: stable (${options.stable}) exceeds rounds (${options.rounds})`, "rounds is the budget; stable must fit in it");
  return options;
}

/** The keys whose first runtime is within `within` of the best (the best first). */
export function candidates(first: ReadonlyMap<string, number>, within: number): string[] {
  const best = Math.min(...first.values());
  return [...first.entries()]
    .filter(([, t]) => t <= best * (1 + within))
    .sort((a, b) => a[1] - b[1])
    .map(([key]) => key);
}

/**
 * Runs the rounds for one group. `first` holds every candidate's first minimum; `measure(key)` runs it once
 * more and resolves to that run's minimum (undefined when the run failed: the candidate keeps what it has).
 */
export async function confirmGroup(first: ReadonlyMap<string, number>, measure: (key: string) => Promise<number | undefined>, options: ConfirmOptions, signal?: AbortSignal): Promise<Map<string, Confirmed>> {
  const keys = [...first.keys()];
  const seen = new Map(keys.map((k) => [k, [first.get(k)!]]));
  const order = () => [...keys].sort((a, b) => Math.min(...seen.get(a)!) - Math.min(...seen.get(b)!)).join("\n");
  let previous = order();
  let unchanged = 0;
  let rounds = 0;
  while (keys.length > 1 && rounds < options.rounds && unchanged < options.stable && !signal?.aborted) {
    const start = rounds % keys.length;
    for (const key of [...keys.slice(start), ...keys.slice(0, start)]) {
      if (signal?.aborted) break;
      const t = await measure(key);
      if (t !== undefined && Number.isFinite(t)) seen.get(key)!.push(t);
    }
    rounds++;
    const now = order();
    unchanged = now === previous ? unchanged + 1 : 0;
    previous = now;
  }
  const result = new Map<string, Confirmed>();
  for (const key of keys) {
    const all = seen.get(key)!;
    const min = Math.min(...all);
    result.set(key, { runtime_min_s: min, runtime_first_min_s: all[0]!, confirm_rounds: rounds, confirm_spread: (Math.max(...all) - min) / min });
  }
  return result;
}
