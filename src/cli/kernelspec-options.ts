import type { ArgsOf } from "../args/typed.js";
import type { OptionSpec } from "../args/types.js";
import { SimlabError } from "../core/errors.js";
import { DEFAULT_KERNEL_NAME, type InstallScope } from "../kernel/kernelspec.js";

/** Where the kernelspec goes, shared by `simlab install` and `simlab uninstall`. */
export const scopeOptions = [
  { name: "user", type: "boolean", help: "~/.local/share/jupyter/kernels (or $JUPYTER_DATA_DIR/kernels); install's default" },
  { name: "sys-prefix", type: "boolean", help: "$VIRTUAL_ENV or $CONDA_PREFIX, else /usr/local: PREFIX/share/jupyter/kernels" },
  { name: "prefix", type: "string", help: "DIR/share/jupyter/kernels (then add DIR/share/jupyter to JUPYTER_PATH)" },
  { name: "name", type: "string", default: DEFAULT_KERNEL_NAME, help: "kernelspec name" },
] as const satisfies readonly OptionSpec[];

/** The one scope the options name, or undefined when none is given. */
export function scopeFrom(args: ArgsOf<{ name: ""; summary: ""; options: typeof scopeOptions }>): InstallScope | undefined {
  const scopes: InstallScope[] = [];
  if (args.user) scopes.push({ kind: "user" });
  if (args.sysPrefix) scopes.push({ kind: "sys-prefix" });
  if (args.prefix !== undefined) scopes.push({ kind: "prefix", dir: args.prefix });
  if (scopes.length > 1) throw new SimlabError("give only one of --user, --sys-prefix, --prefix", "pick where Jupyter should find the kernel");
  return scopes[0];
}
