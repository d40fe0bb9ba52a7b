import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SimlabError } from "../errors.js";
import { exportFormats, exportWide, openStore, wideColumns, type ExportFormat } from "../store/index.js";
import type { CliCommand } from "./command.js";

const HELP = `usage: simlab results --db FILE [--sweep NAME] [--format csv|json|parquet] [-o OUT]

Writes the store's wide table (one row per point: knobs, measured runtime, <tool>.<statistic> columns,
status) as CSV (default), JSON or Parquet, to OUT or stdout. Safe while a sweep is writing the store.`;

export const command: CliCommand = {
  summary: "export a sweep store's wide table (one row per point) as csv, json or parquet",
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          db: { type: "string" },
          sweep: { type: "string" },
          format: { type: "string", default: "csv" },
          output: { type: "string", short: "o" },
          help: { type: "boolean", short: "h" },
        },
      }));
    } catch (e) {
      throw new SimlabError((e as Error).message, "simlab results --help");
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (values.db === undefined) throw new SimlabError("--db FILE is required", "e.g. simlab results --db results.db --format csv");
    const format = values.format as ExportFormat;
    if (!exportFormats.includes(format)) throw new SimlabError(`--format must be one of ${exportFormats.join(", ")}, got '${values.format}'`, "simlab results --help");
    if (format === "parquet" && values.output === undefined && process.stdout.isTTY) {
      throw new SimlabError("parquet is binary: give -o FILE (or redirect stdout)", "e.g. simlab results --db r.db --format parquet -o r.parquet");
    }
    const db = openStore(values.db, { readonly: true });
    let data: string | Uint8Array;
    try {
      data = exportWide(wideColumns(db, values.sweep), format);
    } finally {
      db.close();
    }
    if (values.output !== undefined) writeFileSync(values.output, data);
    else await new Promise<void>((resolve, reject) => process.stdout.write(data, (e) => (e ? reject(e) : resolve())));
    return 0;
  },
};
