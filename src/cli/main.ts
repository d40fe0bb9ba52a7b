#!/usr/bin/env node
import { isSimlabError } from "../core/errors.js";
import type { CliCommand } from "./command.js";

/** Subcommands, loaded on demand so `simlab kernel` starts without loading the sweep or predictor code. */
const commands: Record<string, () => Promise<{ command: CliCommand }>> = {
  kernel: () => import("./kernel.js"),
  install: () => import("./install.js"),
  uninstall: () => import("./uninstall.js"),
  run: () => import("./run.js"),
  sweep: () => import("./sweep.js"),
  results: () => import("./results.js"),
  "import-runtimes": () => import("./import-runtimes.js"),
  fit: () => import("./fit.js"),
  eval: () => import("./eval.js"),
  predict: () => import("./predict.js"),
  "slurm-task": () => import("./slurm-task.js"),
  tune: () => import("./tune.js"),
  best: () => import("./best.js"),
};

/** Run by the slurm backend's job arrays, not by people: left out of the usage. */
const hidden = new Set(["slurm-task"]);

async function usage(): Promise<string> {
  const lines = ["usage: simlab <command> [options]   (simlab <command> --help for its options)", "", "commands:"];
  for (const [name, load] of Object.entries(commands)) {
    if (hidden.has(name)) continue;
    lines.push(`  ${name.padEnd(10)} ${(await load()).command.summary}`);
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(await usage());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`simlab: unknown command '${name}'\nhint: commands are ${Object.keys(commands).filter((c) => !hidden.has(c)).join(", ")}`);
    return 2;
  }
  try {
    return await (await load()).command.run(rest);
  } catch (e) {
    if (isSimlabError(e)) {
      console.error(`simlab ${name}: ${e.format()}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
