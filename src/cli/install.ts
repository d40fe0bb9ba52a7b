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
    const name = String(args.name);
    const displayName = typeof args.displayName === "string" ? args.displayName : undefined;
    const dir = await installKernelspec(scopeFrom(args) ?? { kind: "user" }, name, displayName);
    console.log(`installed kernelspec ${name} in ${dir}`);
    return 0;
  },
);
