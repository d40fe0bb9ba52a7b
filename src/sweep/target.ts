import { SimlabError } from "../core/errors.js";
import { isRecord } from "../core/guards.js";
import { closest } from "../core/suggest.js";
import type { SshTarget } from "../sim/index.js";

const FIELDS = ["ssh", "port", "isa", "cpu", "identity", "knownHosts"] as const;
const HINT = 'e.g. "target": {"ssh": "root@board.local", "port": 2222, "isa": "aarch64", "cpu": 1}';

/**
 * Validates a spec's `target`: the board the native tool measures on over ssh. Every problem is one
 * SimlabError naming the field, like the rest of the spec.
 */
export function parseTarget(origin: string, raw: unknown): SshTarget {
  const fail = (path: string, problem: string, hint = HINT): never => {
    throw new SimlabError(`${origin}: target${path}: ${problem}`, hint);
  };
  if (!isRecord(raw)) fail("", `expected an object like {"ssh": "user@host"}, got ${JSON.stringify(raw) ?? String(raw)}`);
  const t = raw as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if ((FIELDS as readonly string[]).includes(key)) continue;
    const near = closest(key, FIELDS);
    fail(`.${key}`, `unknown field${near ? ` (did you mean '${near}'?)` : ""}`, `allowed fields: ${FIELDS.join(", ")}`);
  }
  if (typeof t.ssh !== "string" || !/^([^@\s:]+@)?[^@\s:]+$/.test(t.ssh)) fail(".ssh", `expected "user@host" or "host", got ${JSON.stringify(t.ssh) ?? "nothing"}`);
  const target: SshTarget = { ssh: t.ssh as string };
  if (t.port !== undefined) {
    if (typeof t.port !== "number" || !Number.isInteger(t.port) || t.port < 1 || t.port > 65535) fail(".port", `expected a port number 1–65535, got ${JSON.stringify(t.port)}`);
    target.port = t.port as number;
  }
  if (t.cpu !== undefined) {
    if (typeof t.cpu !== "number" || !Number.isSafeInteger(t.cpu) || t.cpu < 0) fail(".cpu", `expected a CPU number ≥ 0, got ${JSON.stringify(t.cpu)}`);
    target.cpu = t.cpu as number;
  }
  for (const key of ["isa", "identity", "knownHosts"] as const) {
    const value = t[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "") fail(`.${key}`, `expected a non-empty string, got ${JSON.stringify(value)}`);
    target[key] = value as string;
  }
  return target;
}
