import fs from 'node:fs';
import path from 'node:path';
import type { LogEntry, LogLevel } from '../../../shared/model';
import { LOG_LEVELS } from '../../../shared/model';
import { Emitter } from '../util/emitter';
import type { LogFields, Logger } from './logger';

export interface LogQuery {
  tunnelId?: string;
  level?: string;
  text?: string;
  limit: number;
}

interface LogStoreOptions {
  /** Folder for the rotating JSONL files; omit to keep logs in memory only. */
  dir?: string;
  ringSize?: number;
  maxFileBytes?: number;
  keepFiles?: number;
  /** How long entries are gathered before one `appended` event carries them. */
  batchMs?: number;
}

/**
 * Structured logs: an in-memory ring for queries, a size-capped rotating JSONL file on disk,
 * and batched `appended` events so a burst of entries is one message to the UI.
 */
export class LogStore {
  readonly events = new Emitter<{ appended: LogEntry[] }>();
  private ring: LogEntry[] = [];
  private seq = 0;
  private pending: LogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private fileBytes = 0;
  private readonly file?: string;
  private readonly o: Required<Omit<LogStoreOptions, 'dir'>>;

  constructor(opts: LogStoreOptions = {}) {
    this.o = { ringSize: 20_000, maxFileBytes: 5 * 1024 * 1024, keepFiles: 3, batchMs: 100, ...opts };
    if (opts.dir) {
      fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      this.file = path.join(opts.dir, 'clab-publisher.jsonl');
      try {
        this.fileBytes = fs.statSync(this.file).size;
      } catch {
        this.fileBytes = 0;
      }
    }
  }

  append(level: LogLevel, source: string, message: string, fields?: LogFields, tunnelId?: string): LogEntry {
    const entry: LogEntry = { seq: ++this.seq, time: Date.now(), level, source, message };
    if (tunnelId) entry.tunnelId = tunnelId;
    if (fields && Object.keys(fields).length) entry.fields = fields;
    this.ring.push(entry);
    if (this.ring.length > this.o.ringSize) this.ring.splice(0, this.ring.length - this.o.ringSize);
    this.write(entry);
    this.pending.push(entry);
    this.timer ??= setTimeout(() => this.flush(), this.o.batchMs);
    return entry;
  }

  query(q: LogQuery): LogEntry[] {
    const minLevel = q.level ? LOG_LEVELS.indexOf(q.level as LogLevel) : 0;
    const text = q.text?.toLowerCase();
    const out: LogEntry[] = [];
    for (let i = this.ring.length - 1; i >= 0 && out.length < q.limit; i--) {
      const e = this.ring[i];
      if (q.tunnelId && e.tunnelId !== q.tunnelId) continue;
      if (LOG_LEVELS.indexOf(e.level) < minLevel) continue;
      if (text && !e.message.toLowerCase().includes(text) && !e.source.toLowerCase().includes(text)) continue;
      out.push(e);
    }
    return out.reverse();
  }

  logger(source: string, tunnelId?: string): Logger {
    const log = (level: LogLevel, message: string, fields?: LogFields) => {
      this.append(level, source, message, fields, tunnelId);
    };
    return {
      log,
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (sub, tid) => this.logger(`${source}.${sub}`, tid ?? tunnelId),
    };
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.events.emit('appended', batch);
  }

  dispose(): void {
    this.flush();
  }

  private write(entry: LogEntry): void {
    if (!this.file) return;
    const line = JSON.stringify(entry) + '\n';
    if (this.fileBytes + line.length > this.o.maxFileBytes) this.rotate();
    fs.appendFileSync(this.file, line, { mode: 0o600 });
    this.fileBytes += Buffer.byteLength(line);
  }

  private rotate(): void {
    const f = this.file!;
    for (let i = this.o.keepFiles - 1; i >= 1; i--) {
      const from = i === 1 ? f : `${f}.${i - 1}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${f}.${i}`);
    }
    this.fileBytes = 0;
  }
}
