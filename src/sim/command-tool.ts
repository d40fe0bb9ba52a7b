import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SimlabError } from "../core/errors.js";
import { parseProgramOutput } from "./program-output.js";
import { fillTemplate, placeholders, shellQuote } from "../proc/command-template.js";
import { failUnlessSuccess, runProcess } from "../proc/run-process.js";
import { RunFailure, type Program, type RunContext, type RunOutput, type Tool, type ToolInfo } from "../core/contracts.js";
import { parseKeyValueStats } from "./keyvalue-parse.js";

const OUT_FILE = "cmd.out";
const PLACEHOLDERS = ["binary", "args", "kernel", "workdir", "out"];

/**
 * A user's simulator or measurement command, e.g. `cmd:qemu-x86_64 -plugin ./libinsn.so -d plugin {binary} {args}`.
 * Placeholders: {binary}, {args} (the program's arguments plus the mode `sim`), {kernel}, {workdir}, and {out}
 * (a file in the run's folder: when used, statistics are read from it instead of stdout). Statistics are
 * `name=value`, `name: value` or JSON lines; the program's own `checksum` line is picked up from stdout.
 */
export function commandTool(template: string): Tool {
  const t = template.trim();
  if (!t) throw new SimlabError("cmd: tool needs a command template", "e.g. cmd:qemu-x86_64 {binary} {args}");
  const unknown = placeholders(t).filter((p) => !PLACEHOLDERS.includes(p));
  if (unknown.length > 0) throw new SimlabError(`cmd: unknown placeholder {${unknown[0]}} in '${t}'`, `available: ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`);
  const executable = t.split(/\s+/)[0]!;
  const readsFile = placeholders(t).includes("out");
  return {
    name: `cmd:${t}`,
    probe(): Promise<ToolInfo> {
      return new Promise((resolve) => {
        execFile("/bin/sh", ["-c", `command -v ${shellQuote(executable)}`], (error) =>
          resolve(error ? { available: false, reason: `'${executable}' not found on PATH` } : { available: true, version: executable }),
        );
      });
    },
    cacheKey: () => JSON.stringify({ template: t }),
    async run(program: Program, ctx: RunContext): Promise<RunOutput> {
      const outFile = join(ctx.workDir, OUT_FILE);
      const values = { binary: program.binary, args: [...program.args, "sim"], kernel: program.kernelFunction ?? "", workdir: ctx.workDir, out: outFile };
      const line = fillTemplate(t, values, "cmd: tool");
      const result = await runProcess("/bin/sh", ["-c", line], { signal: ctx.signal, timeoutMs: ctx.timeoutMs, cwd: ctx.workDir });
      failUnlessSuccess(result, "crash", "the command");
      let text = result.stdout;
      if (readsFile) {
        try {
          text = await readFile(outFile, "utf8");
        } catch {
          throw new RunFailure("bad-output", `the command wrote no ${outFile} (its {out} file was expected to hold the statistics)`, { command: line });
        }
      }
      const stats = parseKeyValueStats(text);
      delete stats.checksum;
      if (Object.keys(stats).length === 0) {
        const where = readsFile ? outFile : "its standard output";
        throw new RunFailure("bad-output", `no statistics in ${where} of: ${line} (expected name=value, name: value or JSON lines)`, { command: line, stderrTail: text.slice(-500) });
      }
      return { stats, checksum: parseProgramOutput(result.stdout).checksum, wallSeconds: result.wallSeconds };
    },
  };
}
