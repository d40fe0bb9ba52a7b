import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SimlabError } from "../core/errors.js";

/**
 * Checks, before any work starts, that a file can be written at `path`: its folder exists and is writable,
 * and the path is not a folder. `option` names the flag in messages (e.g. "-o").
 */
export function checkOutputPath(path: string, option: string): void {
  const full = resolve(path);
  const folder = dirname(full);
  const folderInfo = statSync(folder, { throwIfNoEntry: false });
  if (!folderInfo) throw new SimlabError(`${option} ${path}: the folder ${folder} does not exist`, `create it first (mkdir -p ${folder}) or choose another ${option}`);
  if (!folderInfo.isDirectory()) throw new SimlabError(`${option} ${path}: ${folder} is not a folder`, `choose another ${option}`);
  if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) throw new SimlabError(`${option} ${path} is a folder`, `name a file inside it, e.g. ${option} ${path.replace(/\/?$/, "/out.csv")}`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new SimlabError(`${option} ${path}: the folder ${folder} is not writable`, `choose another ${option}`);
  }
}
