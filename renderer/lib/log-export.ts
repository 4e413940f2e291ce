import type { LogEntry } from '../../shared/model';
import { entryAt, type LogSnapshot } from './log-view';

export type ExportFormat = 'jsonl' | 'text';

/** `key=value key=value`, as the rows show fields; `clean` makes each part safe for a text file. */
export function fieldsText(f: LogEntry['fields'], clean: (s: string) => string = String): string {
  if (!f) return '';
  let out = '';
  for (const k in f) out += `${out ? ' ' : ''}${clean(k)}=${clean(String(f[k]))}`;
  return out;
}

/**
 * Characters a log line must not carry raw: C0 and C1 controls and DEL (newlines forge lines,
 * ESC starts ANSI sequences that repaint a terminal, U+009B is a one-byte CSI), the line and
 * paragraph separators editors break lines at, and the bidi formatting characters (U+202E
 * and friends reorder what follows; a stray U+2069 would close an isolate early).
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, … and their presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const FSI = '\u2068';
const PDI = '\u2069';

/** Controls as visible escapes: a newline becomes `\n`, ESC `\x1b`, U+202E `\u202e`. */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/**
 * One untrusted part of a text line (a name, a message): controls escaped, and right-to-left
 * text wrapped in an isolate (FSI … PDI), so it reads as one unit and cannot reorder the
 * time, level or anything else on the line.
 */
export function safeText(s: string): string {
  const t = escapeControls(s);
  return RTL.test(t) ? `${FSI}${t}${PDI}` : t;
}

/** One line of the plain-text export: ISO time, level, source (and tunnel), message, fields. */
export function textLine(e: LogEntry, tunnelName?: string): string {
  const who = tunnelName ? `${safeText(e.source)} [${safeText(tunnelName)}]` : safeText(e.source);
  const extra = fieldsText(e.fields, safeText);
  return `${new Date(e.time).toISOString()} ${safeText(e.level.toUpperCase()).padEnd(5)} ${who}: ${safeText(e.message)}${extra ? ` ${extra}` : ''}`;
}

/** JSON escapes C0 controls but leaves DEL, C1, U+2028/2029 and bidi controls raw; as `\uXXXX` they read back the same. */
const JSON_UNSAFE = /[\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/gu;

/** One JSON Lines record: exactly the entry, with nothing in it an editor or terminal acts on. */
export function jsonLine(e: LogEntry, tunnelName?: string): string {
  return JSON.stringify(tunnelName ? { ...e, tunnelName } : e).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `clab-publisher-logs-20250101-120304.jsonl`, local time. */
export function exportFileName(format: ExportFormat, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `clab-publisher-logs-${stamp}.${format === 'jsonl' ? 'jsonl' : 'log'}`;
}

/** The entries of the current filtered view, as JSON Lines or plain text. */
export function exportBlob(snap: LogSnapshot, names: Map<string, string>, format: ExportFormat): Blob {
  const lines: string[] = new Array<string>(snap.count);
  let n = 0;
  for (let i = 0; i < snap.count; i++) {
    const e = entryAt(snap, i);
    if (!e) continue;
    const name = e.tunnelId ? names.get(e.tunnelId) : undefined;
    lines[n++] = format === 'jsonl' ? jsonLine(e, name) : textLine(e, name);
  }
  lines.length = n;
  return new Blob([lines.join('\n'), n ? '\n' : ''], { type: format === 'jsonl' ? 'application/x-ndjson' : 'text/plain' });
}

/** Saves a Blob through a temporary download link (no navigation, allowed by the CSP). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some engines.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
