import { SimlabError } from "../core/errors.js";
import type { CliCommand } from "./command.js";

export const command: CliCommand = {
  summary: "Run the Jupyter kernel (Jupyter starts it as `simlab kernel -f {connection_file}`)",
  async run(argv) {
    if (argv.includes("--help") || argv.includes("-h")) {
      console.log("usage: simlab kernel -f CONNECTION_FILE\n\nRuns the simlab TypeScript kernel; `simlab install` registers it with Jupyter.");
      return 0;
    }
    const at = argv.findIndex((a) => a === "-f" || a === "--connection-file");
    const file = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith("--connection-file="))?.split("=")[1];
    if (!file) throw new SimlabError("missing the connection file", "run it as `simlab kernel -f CONNECTION_FILE` (Jupyter does this)");
    const { runKernel } = await import("../kernel/index.js");
    await runKernel(file);
    return 0;
  },
};
