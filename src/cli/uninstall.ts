import { uninstallKernelspec } from "../kernel/kernelspec.js";
import type { CliCommand } from "./command.js";
import { parseSpecArgs } from "./install.js";

export const command: CliCommand = {
  summary: "Remove the simlab kernelspec from Jupyter",
  async run(argv) {
    const args = parseSpecArgs(argv, ["uninstall"]);
    if (args.help) {
      console.log("usage: simlab uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]\n\nWithout a scope, removes the first kernelspec NAME Jupyter would find.");
      return 0;
    }
    console.log(`removed ${await uninstallKernelspec(args.name, args.scope)}`);
    return 0;
  },
};
