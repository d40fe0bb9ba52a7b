/** The last `maxLines` lines (at most `maxChars` characters) of a process's output, for error messages. */
export function tail(text: string, maxLines = 20, maxChars = 2000): string {
  // Only the last maxChars + 1 characters can show, so a huge output is not split whole.
  const lines = text.trimEnd().slice(-(maxChars + 1)).split("\n");
  const last = lines.slice(-maxLines).join("\n");
  return last.length > maxChars ? "…" + last.slice(-maxChars) : last;
}
