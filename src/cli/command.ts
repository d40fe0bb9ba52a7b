/** A `simlab` subcommand: one file each in src/cli/, listed in main.ts. */
export interface CliCommand {
  /** One line for `simlab --help`. */
  summary: string;
  /** Runs with the arguments after the subcommand name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}
