/** The last `maxLines` lines (at most `maxChars` characters) of a process's output, for error messages. */
export function tail(text: string, maxLines = 20, maxChars = 2000): string {
  const lines = text.replace(/\s+$/, "").split("\n");
  const last = lines.slice(-maxLines).join("\n");
  return last.length > maxChars ? "…" + last.slice(-maxChars) : last;
}
