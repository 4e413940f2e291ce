import type { LogEntry } from '../../shared/model';
import { entryAt, type LogSnapshot } from './log-view';

export type ExportFormat = 'jsonl' | 'text';

/** `key=value key=value`, as the rows show fields. */
export function fieldsText(f: LogEntry['fields']): string {
  if (!f) return '';
  let out = '';
  for (const k in f) out += `${out ? ' ' : ''}${k}=${f[k]}`;
  return out;
}

/** One line of the plain-text export: ISO time, level, source (and tunnel), message, fields. */
export function textLine(e: LogEntry, tunnelName?: string): string {
  const who = tunnelName ? `${e.source} [${tunnelName}]` : e.source;
  const extra = fieldsText(e.fields);
  return `${new Date(e.time).toISOString()} ${e.level.toUpperCase().padEnd(5)} ${who}: ${e.message}${extra ? ` ${extra}` : ''}`;
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
    lines[n++] = format === 'jsonl' ? JSON.stringify(name ? { ...e, tunnelName: name } : e) : textLine(e, name);
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
