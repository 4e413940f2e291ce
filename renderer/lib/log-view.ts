import type { LogEntry, LogLevel } from '../../shared/model';
import type { LogRing } from './log-ring';

export interface LogFilter {
  /** '' for every source. */
  tunnelId: string;
  /** Minimum level. */
  level: LogLevel;
  /** Case-insensitive substring of message, source, field values or the tunnel's socket name. */
  text: string;
  /** Tunnels whose socket name contains `text`. */
  textTunnels: readonly string[];
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function matcher(f: LogFilter): (e: LogEntry) => boolean {
  const min = RANK[f.level];
  // A case-insensitive RegExp allocates nothing per entry, unlike toLowerCase().
  const re = f.text ? new RegExp(escapeRe(f.text), 'i') : null;
  const named = new Set(f.textTunnels);
  return (e) => {
    if (f.tunnelId && e.tunnelId !== f.tunnelId) return false;
    if (RANK[e.level] < min) return false;
    if (!re || re.test(e.message) || re.test(e.source) || (e.tunnelId !== undefined && named.has(e.tunnelId))) return true;
    if (e.fields) {
      for (const k in e.fields) {
        const v = e.fields[k];
        if (v !== null && re.test(String(v))) return true;
      }
    }
    return false;
  };
}

/** One rendering's view of the filtered entries; cheap to make, never mutated afterwards. */
export interface LogSnapshot {
  ring: LogRing;
  /** Absolute ring positions of the matches from `head` on (shared, only appended to). */
  positions: readonly number[];
  head: number;
  count: number;
  errors: readonly number[];
  errHead: number;
  errorCount: number;
  /** Matches ever seen under this filter: grows by one per new match, dropped ones included. */
  total: number;
  /** Matches dropped at the front (the ring is full): the rows shift up by this many. */
  dropped: number;
  /** Changes with the filter or a ring reset: earlier indices mean nothing then. */
  key: string;
  version: number;
}

export const entryAt = (s: LogSnapshot, i: number): LogEntry | undefined => s.ring.at(s.positions[s.head + i]);
export const positionAt = (s: LogSnapshot, i: number): number => s.positions[s.head + i];

/** First index in a[lo, hi) whose value is > v (or >= v when `orEqual`). */
function upper(a: readonly number[], lo: number, hi: number, v: number, orEqual = false): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] > v || (orEqual && a[mid] === v)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The view index of the next (dir 1) or previous (dir -1) error after index `from`; -1 if none. */
export function findError(s: LogSnapshot, from: number, dir: 1 | -1): number {
  const end = s.errHead + s.errorCount;
  const pos = from < 0 ? -1 : from >= s.count ? Infinity : positionAt(s, from);
  const k = dir === 1 ? upper(s.errors, s.errHead, end, pos) : upper(s.errors, s.errHead, end, pos, true) - 1;
  if (k < s.errHead || k >= end) return -1;
  return upper(s.positions, s.head, s.head + s.count, s.errors[k], true) - s.head;
}

/** How many matches sit at ring position `pos` or later (e.g. arrived since following stopped). */
export function countFrom(s: LogSnapshot, pos: number): number {
  return s.head + s.count - upper(s.positions, s.head, s.head + s.count, pos, true);
}

/** The view index of the match at ring position `pos`, or -1 when it is not in the view. */
export function indexOf(s: LogSnapshot, pos: number): number {
  const i = upper(s.positions, s.head, s.head + s.count, pos, true);
  return i < s.head + s.count && s.positions[i] === pos ? i - s.head : -1;
}

/**
 * The filtered entries of a ring, kept up to date incrementally: each sync tests only the
 * entries appended since the last one and forgets the dropped ones; a new filter rescans.
 */
export class LogView {
  private key = '';
  private gen = -1;
  private scanned = 0;
  private pos: number[] = [];
  private head = 0;
  private errs: number[] = [];
  private errHead = 0;
  private dropped = 0;
  private test: (e: LogEntry) => boolean = () => true;

  sync(ring: LogRing, filter: LogFilter, version: number): LogSnapshot {
    const key = `${filter.tunnelId}\u0000${filter.level}\u0000${filter.text}\u0000${filter.textTunnels.join(',')}`;
    if (key !== this.key || ring.generation !== this.gen) {
      this.key = key;
      this.gen = ring.generation;
      this.test = matcher(filter);
      this.pos = [];
      this.errs = [];
      this.head = this.errHead = this.dropped = 0;
      this.scanned = ring.start;
    }
    while (this.head < this.pos.length && this.pos[this.head] < ring.start) {
      this.head++;
      this.dropped++;
    }
    while (this.errHead < this.errs.length && this.errs[this.errHead] < ring.start) this.errHead++;
    for (let p = Math.max(this.scanned, ring.start); p < ring.end; p++) {
      const e = ring.at(p)!;
      if (!this.test(e)) continue;
      this.pos.push(p);
      if (e.level === 'error') this.errs.push(p);
    }
    this.scanned = ring.end;
    // Compact into new arrays: snapshots handed out earlier keep reading their own.
    if (this.head > 4096 && this.head * 2 > this.pos.length) {
      this.pos = this.pos.slice(this.head);
      this.head = 0;
    }
    if (this.errHead > 4096 && this.errHead * 2 > this.errs.length) {
      this.errs = this.errs.slice(this.errHead);
      this.errHead = 0;
    }
    const count = this.pos.length - this.head;
    return {
      ring,
      positions: this.pos,
      head: this.head,
      count,
      errors: this.errs,
      errHead: this.errHead,
      errorCount: this.errs.length - this.errHead,
      total: this.dropped + count,
      dropped: this.dropped,
      key: `${this.gen}\u0000${key}`,
      version,
    };
  }
}
