/** A real read-only file or folder for tests: a read-only bind mount when running as root (root ignores file modes), else chmod. */
import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";

export const isRoot = process.getuid?.() === 0;

/** Makes `path` (a file or a folder) read-only; returns the function that undoes it. */
export function makeReadOnly(path: string): () => void {
  if (!isRoot) {
    const isDir = execFileSync("stat", ["-c", "%F", path], { encoding: "utf8" }).startsWith("directory");
    chmodSync(path, isDir ? 0o555 : 0o444);
    return () => chmodSync(path, isDir ? 0o755 : 0o644);
  }
  execFileSync("mount", ["--bind", path, path]);
  execFileSync("mount", ["-o", "remount,ro,bind", path, path]);
  return () => execFileSync("umount", [path]);
}
