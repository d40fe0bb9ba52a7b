import type { ArgumentSpec } from "../args/types.js";
import { bestForShape } from "../tune/best.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab best",
  summary: "Print the tuned winner of a shape (JSON) from the tuning cache, for use in a build",
  description: ["Runs nothing. Example: simlab best --workload gemm --shape M=256,N=256,K=64 --db tune.db"].join("\n"),
  options: [
    { name: "workload", short: "w", type: "string", required: true, help: "the workload kind" },
    { name: "shape", type: "string", required: true, help: "the shape knobs, e.g. M=256,N=256,K=64" },
    { name: "db", type: "string", default: "simlab.db", help: "the store holding the tuning cache" },
    { name: "cc", type: "string", help: "the C compiler the winner was tuned with (default gcc)" },
  ],
};

export const command = declaredCommand(spec, async (args) => {
  const r = bestForShape({ db: String(args.db), workload: String(args.workload), shape: String(args.shape), ...(typeof args.cc === "string" ? { workloadOptions: { cc: args.cc } } : {}) });
  console.log(JSON.stringify({ workload: r.workload, shape: r.shape, knobs: r.best.knobs, runtime_s: r.best.runtime_s, reference_runtime_s: r.reference_runtime_s, speedup: r.speedup }));
  return 0;
});
