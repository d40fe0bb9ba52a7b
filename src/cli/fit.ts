import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadTable } from "../data/load-table.js";
import { SimlabError } from "../errors.js";
import { cvSchemes } from "../predict/cv.js";
import { fitTable } from "../predict/fit-table.js";
import { isModelName, modelNames, parseModelParams } from "../predict/registry.js";
import { targetTransforms } from "../predict/target.js";
import type { CliCommand } from "./command.js";

const usage = `usage: simlab fit --data FILE --target COL [--features a,b,…|auto] [--group COL] --model NAME
                  --cv kfold|group|logo [--folds K] [--seed N] [--target-transform runtime|log|group-normalised]
                  [--params name=value,…] [--keep a,b,…] --out PRED.csv

Cross-validates a runtime predictor and writes the out-of-fold predictions (row, group, measured,
predicted, fold, + kept columns) to PRED.csv; prints a one-line summary. Evaluate with \`simlab eval PRED.csv\`.
  --data FILE        CSV, TSV, JSON, Parquet, Arrow, or a simlab sweep store
  --features         comma-separated columns, or auto (default): every numeric, non-constant column except
                     the target, the group, ids and timing columns (runtime/time/…, *_s, *_ns, native.*)
  --model NAME       ${modelNames.join(", ")} (default boosting)
  --cv               kfold (default without --group), group (default with --group), logo
  --params           model parameters, e.g. max_depth=8,n_estimators=50`;

export const command: CliCommand = {
  summary: "cross-validate a runtime predictor on a data file, write PRED.csv",
  async run(argv) {
    const { values } = parse(argv);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const need = (name: "data" | "target" | "out") => {
      const v = values[name];
      if (v === undefined) throw new SimlabError(`--${name} is required`, "see `simlab fit --help`");
      return v;
    };
    const data = need("data"), target = need("target"), out = need("out");
    const model = values.model ?? "boosting";
    if (!isModelName(model)) throw new SimlabError(`unknown model '${model}'`, `models are ${modelNames.join(", ")}`);
    const cv = oneOf("--cv", values.cv, cvSchemes);
    const transform = oneOf("--target-transform", values["target-transform"], targetTransforms);
    const folds = integer("--folds", values.folds);
    const seed = integer("--seed", values.seed);
    const list = (v: string | undefined) => v?.split(",").map((s) => s.trim()).filter(Boolean);
    const features = values.features === undefined || values.features === "auto" ? "auto" : list(values.features);

    const table = await loadTable(data);
    const result = await fitTable(table, {
      target,
      features,
      group: values.group,
      model,
      params: parseModelParams(model, values.params),
      cv,
      folds,
      seed,
      targetTransform: transform,
      keep: list(values.keep),
    });
    await writeFile(out, result.predictions.toCSV() + "\n");
    const m = result.metrics.overall;
    const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
    console.log(
      `${model}, ${result.cv} CV (${result.folds} folds), ${result.features.length} features, ${m.n} rows → ${out}\n` +
        `R² ${fmt(m.r2)}  MAPE ${fmt(m.mape, 1)} %  Spearman ${fmt(m.spearman)}  best-variant rank ${fmt(m.bestRankPercent, 1)} % (worst group ${fmt(m.worstBestRankPercent, 1)} %)`,
    );
    return 0;
  },
};

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        data: { type: "string" },
        target: { type: "string" },
        features: { type: "string" },
        group: { type: "string" },
        model: { type: "string" },
        cv: { type: "string" },
        folds: { type: "string" },
        seed: { type: "string" },
        "target-transform": { type: "string" },
        params: { type: "string" },
        keep: { type: "string" },
        out: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    });
  } catch (e) {
    throw new SimlabError((e as Error).message, "see `simlab fit --help`");
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new SimlabError(`${flag} must be one of ${choices.join(", ")}, not '${value}'`);
  return value as T;
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new SimlabError(`${flag} must be an integer, not '${value}'`);
  return n;
}

