import type { ArgumentSpec } from "../args/types.js";
import { tuneFromArgs, tuneOptions, tuneSummaryJSON, tuneSummaryText } from "../tune/arguments.js";
import { tune } from "../tune/tune.js";
import { stderrProgress } from "../sweep/progress.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab tune",
  summary: "Tune one shape: simulate candidates, measure the predicted top k natively, keep the winner per shape",
  description: [
    "The strategy picks candidates to simulate (all by default); a predictor ranks them; the k best-predicted are measured",
    "natively (near-ties re-measured) beside the reference schedule. Results land in the store; a shape tuned before on",
    "this host and compiler returns its cached winner at once (--fresh tunes again). --replay runs nothing.",
    "Examples:",
    '  simlab tune --workload gemm --space "M=64 N=64 K=64 order=ijk,ikj,kij tn=0,16 unroll=1,4" --budget 5 --db t.db --json',
    '  simlab tune --workload gemm --space "…" --strategy genetic --max-evals 8 --seed 1 --db t.db --replay --json',
  ].join("\n"),
  options: [...tuneOptions, { name: "json", type: "boolean", default: false, help: "print one JSON object on stdout" }],
};

export const command = declaredCommand(spec, async (args) => {
  const options = tuneFromArgs(args);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on("SIGINT", onSignal);
  try {
    const result = await tune({ ...options, signal: controller.signal, onProgress: stderrProgress() });
    if (args.json === true) console.log(JSON.stringify(tuneSummaryJSON(result)));
    else console.log(tuneSummaryText(result));
    if (result.missing.length > 0) process.stderr.write(`replay: ${result.missing.length} point(s) not in the store\n`);
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
});
