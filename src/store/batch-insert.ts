import type Database from "better-sqlite3";
import type { Store } from "./store.js";

/** Rows per INSERT statement: SQLite binds at most 32,766 parameters per statement. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts many rows into one table with multi-row INSERTs (one prepared statement for full batches), a
 * hundred times fewer statement executions than a row at a time. Call inside a transaction; `flush()` at the end.
 */
export class BatchInsert {
  private readonly values: unknown[] = [];
  private readonly full: Database.Statement;

  constructor(
    private readonly db: Store,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.full = db.prepare(this.sql(ROWS_PER_STATEMENT));
  }

  /** Adds one row: its values in the order of `columns`. */
  add(...row: unknown[]): void {
    for (const value of row) this.values.push(value);
    if (this.values.length === ROWS_PER_STATEMENT * this.columns.length) {
      this.full.run(this.values);
      this.values.length = 0;
    }
  }

  flush(): void {
    const rows = this.values.length / this.columns.length;
    if (rows > 0) this.db.prepare(this.sql(rows)).run(this.values);
    this.values.length = 0;
  }

  private sql(rows: number): string {
    const row = `(${this.columns.map(() => "?").join(", ")})`;
    return `INSERT INTO ${this.table} (${this.columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`;
  }
}
