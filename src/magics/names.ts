/**
 * Every magic as typed, for completion after `%` on the kernel's main thread, which should not load the magic
 * families (sweep, predictors, plots) just to list names. test/magics/registry.test.ts holds it equal to the registry.
 */
export const MAGIC_NAMES: readonly string[] = [
  "%%html", "%%markdown", "%%sh", "%%time", "%%timeit", "%cd", "%env", "%eval", "%fit", "%history", "%import-runtimes", "%load", "%ls", "%lsmagic",
  "%plot", "%predict", "%pwd", "%reset", "%sweep", "%system", "%time", "%timeit", "%tune", "%who", "%whos",
];
