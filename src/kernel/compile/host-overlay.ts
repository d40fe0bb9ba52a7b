/** A compiler host that answers some files itself (`lookup`) and asks `host` for the rest. */
import type * as TS from "@tslab/typescript-for-tslab";

export type SourceFileLookup = (fileName: string, wanted: TS.ScriptTarget | TS.CreateSourceFileOptions) => TS.SourceFile | undefined;

export function overlayHost(host: TS.CompilerHost, lookup: SourceFileLookup): TS.CompilerHost {
  const wrapped: TS.CompilerHost = Object.create(host);
  wrapped.getSourceFile = (fileName, wanted, onError, fresh) => lookup(fileName, wanted) ?? host.getSourceFile(fileName, wanted, onError, fresh);
  const byPath = host.getSourceFileByPath;
  if (byPath) wrapped.getSourceFileByPath = (fileName, path, wanted, onError, fresh) => lookup(fileName, wanted) ?? byPath.call(host, fileName, path, wanted, onError, fresh);
  return wrapped;
}
