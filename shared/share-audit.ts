import type { AuditRecord, AuditSource } from './share-model';

/** Who connected: one row per source address, most recently seen first. */
export function auditSources(records: readonly AuditRecord[]): AuditSource[] {
  const by = new Map<string, AuditSource>();
  for (const r of records) {
    let s = by.get(r.source);
    if (!s) {
      s = { source: r.source, firstSeen: r.start, lastSeen: r.start, connections: 0, refused: 0, open: 0, bytesIn: 0, bytesOut: 0 };
      by.set(r.source, s);
    }
    s.firstSeen = Math.min(s.firstSeen, r.start);
    s.lastSeen = Math.max(s.lastSeen, r.end ?? r.start);
    if (r.refused) s.refused++;
    else {
      s.connections++;
      if (r.end === undefined) s.open++;
    }
    s.bytesIn += r.bytesIn;
    s.bytesOut += r.bytesOut;
  }
  return [...by.values()].sort((a, b) => b.lastSeen - a.lastSeen);
}

const CSV_COLUMNS = ['start', 'end', 'node', 'port', 'source', 'sourcePort', 'refused', 'bytesIn', 'bytesOut', 'reason', 'attendee', 'kind'] as const;

/** RFC 4180: quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
function csvField(v: string): string {
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(records: readonly AuditRecord[]): string {
  const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    const row: Record<(typeof CSV_COLUMNS)[number], string> = {
      start: iso(r.start),
      end: iso(r.end),
      node: r.node,
      port: String(r.port),
      source: r.source,
      sourcePort: String(r.sourcePort),
      refused: r.refused ? 'true' : 'false',
      bytesIn: String(r.bytesIn),
      bytesOut: String(r.bytesOut),
      reason: r.reason ?? '',
      attendee: r.attendee ?? '',
      kind: r.kind ?? 'connection',
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function auditJsonl(records: readonly AuditRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}
