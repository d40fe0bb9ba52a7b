import type { ColumnTable } from "arquero";

/** The column a cross-ISA sweep's table carries (src/store wide table): the target ISA of each point. */
export const ISA_COLUMN = "isa";

/**
 * Group labels that never mix ISAs. A sweep's own `group` already names the ISA; a coarser grouping (say
 * `--group workload` on a table of three ISAs) would put an aarch64 and an x86_64 variant in one ranking, so
 * when any label spans several ISAs every labelled row gets ` isa=<isa>` appended (rows without an ISA keep
 * theirs). Labels that are already ISA-pure come back unchanged.
 */
export function separateIsas(table: ColumnTable, labels: readonly string[]): readonly string[] {
  if (!table.columnNames().includes(ISA_COLUMN)) return labels;
  const isa = table.array(ISA_COLUMN) as ArrayLike<unknown>;
  const first = new Map<string, unknown>();
  let mixed = false;
  for (let i = 0; i < labels.length && !mixed; i++) {
    const label = labels[i]!;
    const value = isa[i] ?? null;
    if (!first.has(label)) first.set(label, value);
    else if (first.get(label) !== value) mixed = true;
  }
  if (!mixed) return labels;
  return labels.map((label, i) => (isa[i] == null ? label : `${label} isa=${String(isa[i])}`));
}
