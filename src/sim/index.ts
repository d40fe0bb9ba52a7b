import { SimlabError } from "../core/errors.js";
import { nativeTool } from "./native.js";
import { remoteNativeTool } from "./remote-native.js";
import type { Tool } from "../core/contracts.js";
import { cachegrindTool } from "./cachegrind.js";
import { callgrindTool } from "./callgrind.js";
import { commandTool } from "./command-tool.js";
import { mcaTool } from "./mca.js";
import { qemuTool } from "./qemu/qemu-tool.js";
import type { ToolOptions } from "./options.js";

export type { ToolOptions } from "./options.js";
export { readCacheGeometry, valgrindCacheArgs, type CacheGeometry, type CacheLevel } from "./cache-geometry.js";
export { parseCachegrind, functionCounts, type CachegrindProfile } from "./cachegrind-parse.js";
export { parseCallgrindSummary } from "./callgrind-parse.js";
export { parseKeyValueStats } from "./keyvalue-parse.js";
export { instructionCounts } from "./callgrind-instr-parse.js";
export { basicBlocks, parseObjdump, type BasicBlock, type Instruction } from "./disassembly.js";
export { qemuTool } from "./qemu/qemu-tool.js";
export { elfIsa, type QemuIsa } from "./qemu/elf-machine.js";
export { buildPlugin, pluginHash } from "./qemu/plugin-build.js";
export { remoteNativeTool, parseSshTarget, type SshTarget, type BoardIdentity } from "./remote-native.js";
export { mcaStats, LATENCY_BOUND_RATIO } from "./mca.js";

const tools: Readonly<Record<string, (options?: ToolOptions) => Tool>> = {
  native: (options) => (options?.target ? remoteNativeTool(options.target, options) : nativeTool(options)),
  cachegrind: cachegrindTool,
  callgrind: callgrindTool,
  mca: mcaTool,
  qemu: qemuTool,
};

/** "native", "cachegrind", "callgrind", "mca", "qemu", and "cmd:<template>" for any command. */
export function toolNames(): string[] {
  return [...Object.keys(tools), "cmd:<template>"];
}

export function toolFor(name: string, options: ToolOptions = {}): Tool {
  if (name.startsWith("cmd:")) return commandTool(name.slice(4));
  const make = tools[name];
  if (!make) throw new SimlabError(`unknown tool '${name}'`, `tools are ${toolNames().join(", ")}`);
  return make(options);
}
