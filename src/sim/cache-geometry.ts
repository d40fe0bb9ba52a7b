import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SimlabError } from "../core/errors.js";

export interface CacheLevel {
  /** Bytes. */
  size: number;
  ways: number;
  /** Line size in bytes. */
  line: number;
}

/** The three caches valgrind simulates: first-level instruction and data, and the last level. */
export interface CacheGeometry {
  I1: CacheLevel;
  D1: CacheLevel;
  LL: CacheLevel;
}

export const SYSFS_CACHE = "/sys/devices/system/cpu/cpu0/cache";

function parseSize(text: string): number {
  const m = /^(\d+)([KMG]?)$/.exec(text.trim());
  if (!m) throw new SimlabError(`unreadable cache size '${text.trim()}'`, "give the cache geometry explicitly (geometry option)");
  return Number(m[1]) * { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as "" | "K" | "M" | "G"];
}

/**
 * The host's cache geometry from sysfs (`index*` folders: level, type, size, ways, line size). LL is the
 * highest-level data or unified cache. Valgrind's own detection is wrong on some VMs (it reads this machine's
 * L3 as 384 MiB 1-way), so simulators pass this geometry explicitly.
 */
export function readCacheGeometry(root: string = SYSFS_CACHE): CacheGeometry {
  let entries: string[];
  try {
    entries = readdirSync(root).filter((e) => /^index\d+$/.test(e));
  } catch {
    throw new SimlabError(`cannot read the cache geometry from ${root}`, "give it explicitly, e.g. geometry: {I1: {size, ways, line}, D1: …, LL: …}");
  }
  const read = (dir: string, f: string) => readFileSync(join(root, dir, f), "utf8").trim();
  const caches = entries.map((dir) => ({
    level: Number(read(dir, "level")),
    type: read(dir, "type"),
    cache: { size: parseSize(read(dir, "size")), ways: Number(read(dir, "ways_of_associativity")), line: Number(read(dir, "coherency_line_size")) },
  }));
  const I1 = caches.find((c) => c.level === 1 && c.type === "Instruction");
  const D1 = caches.find((c) => c.level === 1 && c.type === "Data");
  const last = caches.filter((c) => c.type !== "Instruction").sort((a, b) => b.level - a.level)[0];
  if (!I1 || !D1 || !last) {
    throw new SimlabError(`incomplete cache description in ${root} (need L1 instruction, L1 data and a last level)`, "give the geometry explicitly with the geometry option");
  }
  return { I1: I1.cache, D1: D1.cache, LL: last.cache };
}

/** Valgrind's `--I1= --D1= --LL=` arguments (size,associativity,line size). */
export function valgrindCacheArgs(g: CacheGeometry): string[] {
  return (["I1", "D1", "LL"] as const).map((name) => `--${name}=${g[name].size},${g[name].ways},${g[name].line}`);
}
