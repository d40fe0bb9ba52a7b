/**
 * A user's mistake (bad magic argument, missing simulator, malformed stats file, unknown column).
 * Shown as one line plus a hint, never with a stack trace. Bugs in simlab are plain Errors and keep theirs.
 */
export class SimlabError extends Error {
  override readonly name = "SimlabError";
  constructor(
    message: string,
    /** What the user can do about it, e.g. "run `%sweep --help` for the options". */
    readonly hint?: string,
  ) {
    super(message);
  }

  /** The one- or two-line form shown to users. */
  format(): string {
    return this.hint ? `${this.message}\nhint: ${this.hint}` : this.message;
  }
}

export function isSimlabError(e: unknown): e is SimlabError {
  return e instanceof Error && e.name === "SimlabError" && typeof (e as SimlabError).format === "function";
}
