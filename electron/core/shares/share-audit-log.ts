import type { AuditKind, AuditRecord, ShareAudit } from '../../../shared/share-model';
import { auditSources } from '../../../shared/share-audit';
import type { PipeStats } from '../tunnels/connection-pipe';
import type { ConnectionWatch } from '../tunnels/connection-gate';
import type { AuditFile } from './audit-file';
import type { Peer } from './allow-list';

/** What an audience record says beyond its times and bytes. */
export interface Activity {
  kind: AuditKind;
  node: string;
  port: number;
  peer: Peer;
  attendee?: string;
  attendeeId?: string;
}

export interface ActivityRecord {
  /** Bytes so far: the owner of the record adds to them as they pass. */
  readonly stats: { bytesIn: number; bytesOut: number };
  end(reason?: string): void;
}

const attendeeOf = (a: Activity) => (a.attendeeId ? { attendee: a.attendee, attendeeId: a.attendeeId } : {});

interface Open {
  record: AuditRecord;
  stats?: Readonly<PipeStats>;
  cut?: () => void;
}

/**
 * The audit of one share: every connection through its ports and every refused attempt, newest
 * last, at most `limit` (the oldest go first). Kept in memory for the share view and written
 * to its file as it happens; open connections show their bytes live.
 */
export class ShareAuditLog {
  private records: AuditRecord[] = [];
  private readonly open = new Map<number, Open>();
  private seq = 0;
  private dropped = 0;
  private compacting = false;

  constructor(
    readonly shareId: string,
    private limit: number,
    private readonly file: AuditFile,
    /** Something changed (a connection came, went or was refused). */
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads back what the file kept; a record left open by a crash stays without an end. */
  async load(): Promise<void> {
    const kept = await this.file.read(this.limit);
    this.records = kept.map((r) => (r.end === undefined && !r.refused ? { ...r, reason: r.reason ?? 'unfinished: the app stopped while it was open' } : r));
    this.seq = kept.reduce((m, r) => Math.max(m, r.seq), 0);
  }

  refused(node: string, port: number, peer: Peer, reason: string): void {
    const t = this.now();
    this.add({ seq: ++this.seq, node, port, source: peer.address, sourcePort: peer.port, start: t, end: t, bytesIn: 0, bytesOut: 0, refused: true, reason });
  }

  /** An admitted connection: recorded now, its end and bytes when it closes. */
  admitted(node: string, port: number, peer: Peer): ConnectionWatch {
    const record: AuditRecord = { seq: ++this.seq, node, port, source: peer.address, sourcePort: peer.port, start: this.now(), bytesIn: 0, bytesOut: 0, refused: false };
    const entry: Open = { record };
    this.open.set(record.seq, entry);
    this.add(record);
    return {
      opened: (stats, cut) => {
        entry.stats = stats;
        entry.cut = cut;
      },
      closed: (stats, error) => {
        if (!this.open.delete(record.seq)) return;
        const done: AuditRecord = { ...record, end: this.now(), bytesIn: stats.bytesIn, bytesOut: stats.bytesOut };
        if (error) done.reason = error;
        const i = this.records.lastIndexOf(record);
        if (i >= 0) this.records[i] = done;
        this.file.append(done);
        this.changed();
      },
    };
  }

  /**
   * Something an attendee does through the share's page (the page itself, a terminal,
   * watching): recorded now with its attendee, its bytes live through `stats`, closed by `end`.
   */
  activity(a: Activity): ActivityRecord {
    const record: AuditRecord = { seq: ++this.seq, node: a.node, port: a.port, source: a.peer.address, sourcePort: a.peer.port, start: this.now(), bytesIn: 0, bytesOut: 0, refused: false, kind: a.kind, ...attendeeOf(a) };
    const stats = { bytesIn: 0, bytesOut: 0 };
    this.open.set(record.seq, { record, stats });
    this.add(record);
    let ended = false;
    return {
      stats,
      end: (reason) => {
        if (ended || !this.open.delete(record.seq)) return;
        ended = true;
        const done: AuditRecord = { ...record, end: this.now(), bytesIn: stats.bytesIn, bytesOut: stats.bytesOut };
        if (reason) done.reason = reason;
        const i = this.records.lastIndexOf(record);
        if (i >= 0) this.records[i] = done;
        this.file.append(done);
        this.changed();
      },
    };
  }

  /** An attendee's attempt that was refused (a link that is not valid, a source not allowed, a limit). */
  refusedActivity(a: Activity, reason: string): void {
    const t = this.now();
    this.add({ seq: ++this.seq, node: a.node, port: a.port, source: a.peer.address, sourcePort: a.peer.port, start: t, end: t, bytesIn: 0, bytesOut: 0, refused: true, reason, kind: a.kind, ...attendeeOf(a) });
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Cuts open connections (all, or those `which` picks); each then closes as usual. */
  cut(which: (r: AuditRecord) => boolean = () => true): number {
    let n = 0;
    for (const o of [...this.open.values()]) {
      if (!which(o.record)) continue;
      n++;
      o.cut?.();
    }
    return n;
  }

  snapshot(limit?: number): ShareAudit {
    const live = (r: AuditRecord): AuditRecord => {
      const o = r.end === undefined ? this.open.get(r.seq) : undefined;
      return o?.stats ? { ...r, bytesIn: o.stats.bytesIn, bytesOut: o.stats.bytesOut } : r;
    };
    const all = this.records.map(live);
    return { shareId: this.shareId, records: limit ? all.slice(-limit) : all, sources: auditSources(all), dropped: this.dropped };
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.trim();
    void this.compactIfLarge();
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  remove(): Promise<void> {
    this.open.clear();
    return this.file.remove();
  }

  private add(r: AuditRecord): void {
    this.records.push(r);
    this.trim();
    this.file.append(r);
    void this.compactIfLarge();
    this.changed();
  }

  private trim(): void {
    const over = this.records.length - this.limit;
    if (over <= 0) return;
    this.records.splice(0, over);
    this.dropped += over;
  }

  /** The file holds two lines per connection: rewrite it once it is well past the bound. */
  private async compactIfLarge(): Promise<void> {
    if (this.compacting || this.file.lineCount <= this.limit * 3 + 100) return;
    this.compacting = true;
    // Open connections are kept with their start: their end line comes when they close.
    await this.file.rewrite(() => this.records).finally(() => (this.compacting = false));
  }
}
