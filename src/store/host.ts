import { readFileSync } from "node:fs";
import os from "node:os";
import type { Store } from "./store.js";
import { guarded } from "./sqlite-errors.js";

export interface HostDescription {
  cpuModel: string;
  cores: number;
  kernel: string;
}

export function describeHost(): HostDescription {
  let cpuModel = os.cpus()[0]?.model ?? "";
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // Not Linux: os.cpus() is what we have.
  }
  return { cpuModel: cpuModel || "unknown", cores: os.availableParallelism(), kernel: `${os.type()} ${os.release()}` };
}

/** The id of this host's row in `hosts`, created when first seen. */
export function hostId(db: Store, host: HostDescription = describeHost()): number {
  return guarded(db, () => {
    db.prepare("INSERT OR IGNORE INTO hosts (cpu_model, cores, kernel) VALUES (?, ?, ?)").run(host.cpuModel, host.cores, host.kernel);
    const row = db.prepare("SELECT id FROM hosts WHERE cpu_model = ? AND cores = ? AND kernel = ?").get(host.cpuModel, host.cores, host.kernel) as { id: number };
    return row.id;
  });
}
