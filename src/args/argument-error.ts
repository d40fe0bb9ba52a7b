/** A mistake in the argument text; `parseArgs` turns it into a SimlabError naming the command. */
export class ArgumentError extends Error {}

export function fail(message: string): never {
  throw new ArgumentError(message);
}
