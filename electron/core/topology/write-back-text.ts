/**
 * Plain-text helpers for write-back. The edit is a handful of insertions computed from node
 * offsets, so every byte the edit does not touch stays exactly as the user wrote it.
 */

/** A replacement of `del` characters at offset `at` by `text` (most are pure insertions). */
export interface TextEdit {
  at: number;
  del: number;
  text: string;
}

/** The file's line break: a CRLF file gets CRLF lines, never a mix. */
export function lineBreakOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** 0-based column of an offset, counted in characters from the start of its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** 1-based line of an offset, as editors show it. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Spaces only: YAML indentation is never tabs, and a new line must not bring one in. */
export function indentOfLine(text: string, offset: number): number {
  const start = lineStartOf(text, offset);
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

/**
 * Whole new lines placed after the line on which content ends at `end` (so a trailing
 * comment on that line stays on it). A file without a final line break keeps having none.
 */
export function insertLinesAfter(text: string, end: number, lines: string[], eol: string): TextEdit {
  if (end > 0 && text[end - 1] === '\n') return { at: end, del: 0, text: lines.map((l) => l + eol).join('') };
  const nl = text.indexOf('\n', end);
  if (nl === -1) return { at: text.length, del: 0, text: lines.map((l) => eol + l).join('') };
  return { at: nl + 1, del: 0, text: lines.map((l) => l + eol).join('') };
}

/** Whole new lines placed before the line that holds `offset`. */
export function insertLinesBefore(text: string, offset: number, lines: string[], eol: string): TextEdit {
  return { at: lineStartOf(text, offset), del: 0, text: lines.map((l) => l + eol).join('') };
}

/** Applies edits from the end of the text backwards so earlier offsets stay valid. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.at - a.at);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.del);
  return out;
}
