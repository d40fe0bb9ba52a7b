/** Replaces text[start, end) by `text`; start = end inserts. Positions refer to the text before any edit. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** The text with the (non-overlapping) edits applied, last position first so earlier positions stay valid. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
