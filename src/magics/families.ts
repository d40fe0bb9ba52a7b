/**
 * The magic families the kernel loads, one file each. Loaded lazily so a family whose heavy
 * dependencies (valgrind drivers, plotting) are not needed does not slow kernel start-up.
 */
export const magicFamilies: Record<string, () => Promise<{ magics: readonly import("./types.js").MagicSpec[] }>> = {
  basic: () => import("./basic.js"), // %lsmagic %time %%time %cd %env
  shell: () => import("./shell.js"), // %%sh %system (!cmd)
  files: () => import("./files.js"), // %pwd %ls
  workspace: () => import("./workspace.js"), // %who %whos %reset
  timeit: () => import("./timeit.js"), // %timeit %%timeit
  history: () => import("./history.js"), // %history
  display: () => import("./display.js"), // %%html %%markdown
  sweep: () => import("./sweep.js"), // %sweep
  importRuntimes: () => import("./import-runtimes.js"), // %import-runtimes
  data: () => import("./data.js"), // %load
  predict: () => import("./predict.js"), // %fit %eval
  plot: () => import("./plot.js"), // %plot
  tune: () => import("./tune.js"), // %tune
};
