import { declaredCommand } from "./command.js";

export const command = declaredCommand(
  {
    name: "simlab kernel",
    summary: "Run the Jupyter kernel (Jupyter starts it as `simlab kernel -f {connection_file}`)",
    description: "`simlab install` registers it with Jupyter.",
    options: [{ name: "connection-file", short: "f", type: "string", required: true, help: "the connection file Jupyter wrote" }],
  },
  async (args) => {
    // Loaded here so that `simlab kernel --help` stays fast.
    const { runKernel } = await import("../kernel/index.js");
    await runKernel(args.connectionFile);
    return 0;
  },
);
