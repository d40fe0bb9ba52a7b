import type { ArgumentSpec } from "../args/types.js";
import { runSlurmTask } from "../sweep/slurm/task.js";
import { declaredCommand } from "./command.js";

const spec: ArgumentSpec = {
  name: "simlab slurm-task",
  summary: "(internal) one task of a slurm-backend job array: runs its chunk, writes results into the work directory",
  description: "Started by the job arrays `simlab sweep --backend slurm` submits; not meant to be run by hand.",
  positionals: [],
  options: [
    { name: "submission", type: "string", help: "the submission file (chunks/<id>/submission.json in the sweep's work directory)" },
    { name: "task", type: "integer", help: "the array index ($SLURM_ARRAY_TASK_ID)" },
  ],
};

export const command = declaredCommand(spec, async (args) => {
  const controller = new AbortController();
  // Slurm's time limit and scancel send SIGTERM: stop the runs in flight (their process groups) and leave.
  const onSignal = () => controller.abort();
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    const submission = typeof args.submission === "string" ? args.submission : "";
    const task = typeof args.task === "number" ? args.task : Number.NaN;
    if (!submission || !Number.isInteger(task)) {
      process.stderr.write("simlab slurm-task: --submission FILE and --task N are required\n");
      return 2;
    }
    const written = await runSlurmTask(submission, task, { signal: controller.signal });
    process.stderr.write(`simlab slurm-task ${task}: ${written} results written\n`);
    return controller.signal.aborted ? 143 : 0;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
});
