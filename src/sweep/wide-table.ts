import { table, type ColumnTable } from "arquero";
import { openStore, wideColumns, type Store } from "../store/index.js";

/**
 * The store's wide view as an arquero table: one row per point (sweep, point, workload, group, knobs,
 * runtime_min_s / runtime_median_s / runtime_cv from host measurement, `<tool>.<stat>` per simulator,
 * status, failures). `db` is a store path (opened read-only) or an open store.
 */
export function wideTable(db: string | Store, sweep?: string): ColumnTable {
  const store = typeof db === "string" ? openStore(db, { readonly: true }) : db;
  try {
    const { names, columns } = wideColumns(store, sweep);
    return table(columns, names);
  } finally {
    if (typeof db === "string") store.close();
  }
}
