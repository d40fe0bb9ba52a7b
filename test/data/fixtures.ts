import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { isSimlabError, type SimlabError } from "../../src/core/errors.js";

/** A temporary folder removed after the test file; `file(name, content)` writes into it and returns the path. */
export function scratch(): { dir: string; file(name: string, content: string | Uint8Array): string } {
  const dir = mkdtempSync(join(tmpdir(), "simlab-data-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** Asserts `fn` rejects/throws a SimlabError whose formatted text matches every pattern. */
export async function rejectsSimlab(fn: () => unknown, ...patterns: RegExp[]): Promise<SimlabError> {
  try {
    await fn();
  } catch (e) {
    if (!isSimlabError(e)) throw e;
    for (const p of patterns) {
      if (!p.test(e.format())) throw new Error(`SimlabError "${e.format()}" does not match ${p}`);
    }
    return e;
  }
  throw new Error("expected a SimlabError, nothing was thrown");
}
