import type { LogEntry } from '../../shared/model';

/**
 * A fixed-capacity ring of log entries, addressed by absolute position: the n-th entry ever
 * pushed keeps position n until it is dropped, so views can hold positions across appends.
 * Mutable on purpose: a full copy per batch would cost O(capacity) at 1,000 entries/s.
 */
export class LogRing {
  private readonly buf: (LogEntry | undefined)[];
  /** Absolute position of the oldest entry kept. */
  start = 0;
  /** Absolute position the next entry gets. */
  end = 0;
  /** Bumped by `reset`: positions from an older generation mean nothing any more. */
  generation = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array<LogEntry | undefined>(capacity);
  }

  get length(): number {
    return this.end - this.start;
  }

  /** The entry at an absolute position, or undefined once dropped. */
  at(pos: number): LogEntry | undefined {
    return pos >= this.start && pos < this.end ? this.buf[pos % this.capacity] : undefined;
  }

  /** The newest entry's sequence number, or -1 when empty. */
  get lastSeq(): number {
    return this.length ? this.at(this.end - 1)!.seq : -1;
  }

  push(batch: readonly LogEntry[]): void {
    // Of a batch larger than the ring only its tail would survive anyway.
    const from = Math.max(0, batch.length - this.capacity);
    for (let i = from; i < batch.length; i++) this.buf[(this.end++) % this.capacity] = batch[i];
    // Dropped slots were overwritten by the new entries themselves.
    if (this.end - this.start > this.capacity) this.start = this.end - this.capacity;
  }

  /** Replace everything (the core restarted): positions keep counting so keys stay unique. */
  reset(entries: readonly LogEntry[]): void {
    this.buf.fill(undefined);
    this.start = this.end;
    this.generation++;
    this.push(entries);
  }

  /** Entries from `from` (absolute) to the end, oldest first. */
  slice(from = this.start): LogEntry[] {
    const out: LogEntry[] = [];
    for (let p = Math.max(from, this.start); p < this.end; p++) out.push(this.buf[p % this.capacity]!);
    return out;
  }
}
