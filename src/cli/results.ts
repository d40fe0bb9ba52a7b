import { writeFileSync } from "node:fs";
import { SimlabError } from "../core/errors.js";
import type { ArgumentSpec } from "../args/types.js";
import { exportFormats, exportWide, openStore, wideColumns, type ExportFormat } from "../store/index.js";
import { declaredCommand } from "./command.js";
import { checkOutputPath } from "./output-path.js";

const spec: ArgumentSpec = {
  name: "simlab results",
  summary: "Export a sweep store's wide table (one row per point) as csv, json or parquet",
  description: [
    "Writes the store's wide table (one row per point: knobs, measured runtime, <tool>.<statistic> columns,",
    "status) to OUTPUT or stdout. Safe while a sweep is writing the store.",
    "Example: simlab results --db sweeps.db --format parquet -o sweeps.parquet",
  ].join("\n"),
  options: [
    { name: "db", type: "string", required: true, help: "the sweep store (SQLite)" },
    { name: "sweep", type: "string", help: "only this sweep's points" },
    { name: "format", type: "string", default: "csv", choices: exportFormats, help: "the output format" },
    { name: "output", short: "o", type: "string", help: "write here instead of stdout" },
  ],
};

export const command = declaredCommand(spec, async (args) => {
  const format = args.format as ExportFormat;
  const output = args.output as string | undefined;
  if (format === "parquet" && output === undefined && process.stdout.isTTY) {
    throw new SimlabError("parquet is binary: give -o FILE (or redirect stdout)", "e.g. simlab results --db r.db --format parquet -o r.parquet");
  }
  if (output !== undefined) checkOutputPath(output, "-o");
  const db = openStore(args.db as string, { readonly: true });
  let data: string | Uint8Array;
  try {
    data = exportWide(wideColumns(db, args.sweep as string | undefined), format);
  } finally {
    db.close();
  }
  if (output !== undefined) {
    try {
      writeFileSync(output, data);
    } catch (e) {
      throw new SimlabError(`cannot write ${output}: ${(e as Error).message}`, "check the free space and permissions of its folder, or choose another -o");
    }
  }
  else await new Promise<void>((resolve, reject) => process.stdout.write(data, (e) => (e ? reject(e) : resolve())));
  return 0;
});
