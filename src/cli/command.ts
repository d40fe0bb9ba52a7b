import { helpText } from "../args/help.js";
import { parseArgv } from "../args/parse.js";
import type { ArgsOf } from "../args/typed.js";
import type { ArgumentSpec } from "../args/types.js";

/** A `simlab` subcommand: one file each in src/cli/, listed in main.ts. */
export interface CliCommand {
  /** One line for `simlab --help`. */
  summary: string;
  /** Runs with the arguments after the subcommand name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/**
 * A subcommand whose arguments are declared like a magic's: `--help` prints the usage, a bad argument is one
 * SimlabError line with the usage as hint, and `run` gets the parsed arguments, typed from the declaration.
 */
export function declaredCommand<const S extends ArgumentSpec>(spec: S, run: (args: ArgsOf<S>) => Promise<number>): CliCommand {
  return {
    summary: spec.summary,
    async run(argv) {
      const { args, help } = parseArgv(spec, argv);
      if (help) {
        console.log(helpText(spec));
        return 0;
      }
      return run(args as ArgsOf<S>); // the parser produces what the declaration describes
    },
  };
}
