import { parseArgs } from "node:util";
import { loadTable } from "../data/load-table.js";
import { SimlabError } from "../errors.js";
import { evaluateTable, metricsJSON } from "../predict/evaluate.js";
import type { CliCommand } from "./command.js";

const usage = `usage: simlab eval PRED.csv [--by COL]

Prints the metrics of a predictions file (columns measured, predicted, and group) as JSON:
{"overall": {…}, "groups": [{group, n, mae, mape, rmse, r2, spearman, kendall, pairwiseAccuracy,
bestRankPercent, top1, top5}, …]}. Undefined values (e.g. R² of a constant group) are null.`;

export const command: CliCommand = {
  summary: "print the metrics of a predictions file as JSON, overall and per group",
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { by: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
    } catch (e) {
      throw new SimlabError((e as Error).message, "see `simlab eval --help`");
    }
    if (parsed.values.help) {
      console.log(usage);
      return 0;
    }
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0) throw new SimlabError("give exactly one predictions file", "e.g. simlab eval PRED.csv");
    console.log(metricsJSON(evaluateTable(await loadTable(file), parsed.values.by)));
    return 0;
  },
};
