import { SimlabError } from "../core/errors.js";
import { DEFAULT_KERNEL_NAME, type InstallScope, installKernelspec } from "../kernel/kernelspec.js";
import type { CliCommand } from "./command.js";

const USAGE = `usage: simlab install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]

Registers the simlab TypeScript kernel with Jupyter (no Python needed).
  --user          ~/.local/share/jupyter/kernels (or $JUPYTER_DATA_DIR/kernels); the default
  --sys-prefix    $VIRTUAL_ENV or $CONDA_PREFIX, else /usr/local: PREFIX/share/jupyter/kernels
  --prefix DIR    DIR/share/jupyter/kernels (then add DIR/share/jupyter to JUPYTER_PATH)
  --name NAME     kernelspec name (default ${DEFAULT_KERNEL_NAME})`;

/** Parses the scope and name options shared by install and uninstall. */
export function parseSpecArgs(argv: string[], allowed: readonly string[]): { scope?: InstallScope; name: string; displayName?: string; help: boolean } {
  let scope: InstallScope | undefined;
  let name = DEFAULT_KERNEL_NAME;
  let displayName: string | undefined;
  let help = false;
  const setScope = (next: InstallScope) => {
    if (scope) throw new SimlabError("give only one of --user, --sys-prefix, --prefix", "pick where Jupyter should find the kernel");
    scope = next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new SimlabError(`${flag} needs a value`, `see \`simlab ${allowed[0]} --help\``);
      return v;
    };
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--user") setScope({ kind: "user" });
    else if (flag === "--sys-prefix") setScope({ kind: "sys-prefix" });
    else if (flag === "--prefix") setScope({ kind: "prefix", dir: value() });
    else if (flag === "--name") name = value();
    else if (flag === "--display-name" && allowed.includes("--display-name")) displayName = value();
    else throw new SimlabError(`unknown option '${arg}'`, `see \`simlab ${allowed[0]} --help\``);
  }
  return { scope, name, displayName, help };
}

export const command: CliCommand = {
  summary: "Register the simlab kernel with Jupyter (--user, --sys-prefix, --prefix DIR)",
  async run(argv) {
    const args = parseSpecArgs(argv, ["install", "--display-name"]);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const dir = await installKernelspec(args.scope ?? { kind: "user" }, args.name, args.displayName);
    console.log(`installed kernelspec ${args.name} in ${dir}`);
    return 0;
  },
};
