import { uninstallKernelspec } from "../kernel/kernelspec.js";
import { declaredCommand } from "./command.js";
import { scopeFrom, scopeOptions } from "./kernelspec-options.js";

export const command = declaredCommand(
  {
    name: "simlab uninstall",
    summary: "Remove the simlab kernelspec from Jupyter",
    description: "Without a scope, removes the first kernelspec NAME Jupyter would find.",
    options: scopeOptions,
  },
  async (args) => {
    console.log(`removed ${await uninstallKernelspec(args.name, scopeFrom(args))}`);
    return 0;
  },
);
