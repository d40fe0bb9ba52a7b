import { installKernelspec } from "../kernel/kernelspec.js";
import { declaredCommand } from "./command.js";
import { scopeFrom, scopeOptions } from "./kernelspec-options.js";

export const command = declaredCommand(
  {
    name: "simlab install",
    summary: "Register the simlab kernel with Jupyter (--user, --sys-prefix, --prefix DIR)",
    description: "No Python is needed: the kernelspec (kernel.json and logos) is written directly.",
    options: [...scopeOptions, { name: "display-name", type: "string", help: "the name Jupyter's menus show" }],
  },
  async (args) => {
    const dir = await installKernelspec(scopeFrom(args) ?? { kind: "user" }, args.name, args.displayName);
    console.log(`installed kernelspec ${args.name} in ${dir}`);
    return 0;
  },
);
