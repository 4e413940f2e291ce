import fs from 'node:fs';
import path from 'node:path';
import type { AuditRecord } from '../../../shared/share-model';
import type { Logger } from '../logs/logger';

/** Lines waiting for the disk past this are dropped (oldest first) and the loss is logged. */
const MAX_PENDING = 20_000;
/** The most read back at start, whatever the file grew to: the tail holds the newest records. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * One share's audit on disk: JSON Lines, a line when a connection opens and another when it
 * ends (same `seq`, the later wins), appended asynchronously in order, one write at a time, so
 * the accept path never waits for the disk. Rewritten compactly when it grows past its bound.
 */
export class AuditFile {
  private pending: string[] = [];
  private queue: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private removed = false;
  private lines = 0;
  private lost = 0;

  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {}

  /** The records in the file (newest `max`), merged by seq; a missing file is an empty audit. */
  async read(max: number): Promise<AuditRecord[]> {
    let text: string;
    try {
      const fh = await fs.promises.open(this.file, 'r');
      try {
        const { size } = await fh.stat();
        const len = Math.min(size, MAX_READ_BYTES, Math.max(64 * 1024, max * 2 * 1024));
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, size - len);
        text = buf.toString('utf8');
        // Started mid-file: the first line is a fragment.
        if (len < size) text = text.slice(text.indexOf('\n') + 1);
      } finally {
        await fh.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const bySeq = new Map<number, AuditRecord>();
    let bad = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.lines++;
      try {
        const r = JSON.parse(line) as AuditRecord;
        if (typeof r.seq === 'number' && typeof r.source === 'string' && typeof r.start === 'number') bySeq.set(r.seq, r);
        else bad++;
      } catch {
        bad++; // a line cut by a crash
      }
    }
    if (bad) this.log.warn(`${bad} unreadable line(s) in ${this.file} skipped`);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-max);
  }

  append(r: AuditRecord): void {
    this.pending.push(JSON.stringify(r));
    if (this.pending.length > MAX_PENDING) {
      const n = this.pending.length - MAX_PENDING;
      this.pending.splice(0, n);
      this.lost += n;
    }
    if (!this.flushQueued) {
      this.flushQueued = true;
      void this.enqueue(() => {
        this.flushQueued = false;
        return this.writePending();
      });
    }
  }

  /** Lines in the file (read back plus appended since): the owner compacts past a bound. */
  get lineCount(): number {
    return this.lines + this.pending.length;
  }

  /**
   * Replaces the file with what `current()` returns when its turn comes (temp file + rename):
   * everything queued before is in memory too, so nothing is lost by the rewrite.
   */
  rewrite(current: () => readonly AuditRecord[]): Promise<void> {
    return this.enqueue(async () => {
      this.pending = [];
      const records = current();
      const text = records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, text, { mode: 0o600 });
      await fs.promises.rename(tmp, this.file);
      this.lines = records.length;
    });
  }

  /** Resolves once everything queued is on disk (or failed and was logged). */
  flush(): Promise<void> {
    return this.enqueue(() => this.writePending());
  }

  async remove(): Promise<void> {
    this.pending = [];
    this.removed = true;
    await this.enqueue(() => fs.promises.rm(this.file, { force: true }));
  }

  /** One disk operation at a time, in order; a failure is logged and the next one still runs. */
  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op).catch((err: Error) => this.log.error(`audit file ${path.basename(this.file)}: ${err.message}`));
    this.queue = run;
    return run;
  }

  private async writePending(): Promise<void> {
    if (this.lost) {
      this.log.warn(`the disk did not keep up: ${this.lost} audit line(s) of ${path.basename(this.file)} were dropped`);
      this.lost = 0;
    }
    if (!this.pending.length || this.removed) return;
    const batch = this.pending;
    this.pending = [];
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await fs.promises.appendFile(this.file, `${batch.join('\n')}\n`, { mode: 0o600 });
    this.lines += batch.length;
  }
}
