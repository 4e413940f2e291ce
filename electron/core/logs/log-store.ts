import fs from 'node:fs';
import path from 'node:path';
import type { LogEntry, LogFileStatus, LogLevel } from '../../../shared/model';
import { LOG_LEVELS } from '../../../shared/model';
import { Emitter } from '../util/emitter';
import { writeProblem } from '../util/save-error';
import { LogFile } from './log-file';
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
 * Structured logs: an in-memory ring for queries, a size-capped rotating JSONL file on disk
 * (log-file.ts: written asynchronously, never throwing), and batched `appended` events so a
 * burst of entries is one message to the UI. Entries the file could not take are counted
 * (`fileStatus`, the `status` event) and one warning says why; logging never fails.
 */
export class LogStore {
  readonly events = new Emitter<{ appended: LogEntry[]; status: LogFileStatus }>();
  private ring: LogEntry[] = [];
  private seq = 0;
  private pending: LogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly file?: LogFile;
  private readonly fileName?: string;
  private readonly o: Required<Omit<LogStoreOptions, 'dir'>>;
  private announcedUnwritten = 0;

  constructor(opts: LogStoreOptions = {}) {
    this.o = { ringSize: 20_000, maxFileBytes: 5 * 1024 * 1024, keepFiles: 3, batchMs: 100, ...opts };
    if (!opts.dir) return;
    this.fileName = path.join(opts.dir, 'clab-publisher.jsonl');
    let initialBytes = 0;
    let startProblem: string | undefined;
    try {
      fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      initialBytes = fs.statSync(this.fileName).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') startProblem = writeProblem(err);
    }
    this.file = new LogFile({
      file: this.fileName,
      maxFileBytes: this.o.maxFileBytes,
      keepFiles: this.o.keepFiles,
      maxQueuedBytes: 8 * 1024 * 1024,
      initialBytes,
      onProblem: (problem, unwritten) => this.fileProblem(problem, unwritten),
    });
    if (startProblem) this.fileProblem(startProblem, 0);
  }

  append(level: LogLevel, source: string, message: string, fields?: LogFields, tunnelId?: string): LogEntry {
    const entry: LogEntry = { seq: ++this.seq, time: Date.now(), level, source, message };
    if (tunnelId) entry.tunnelId = tunnelId;
    if (fields && Object.keys(fields).length) entry.fields = fields;
    this.ring.push(entry);
    if (this.ring.length > this.o.ringSize) this.ring.splice(0, this.ring.length - this.o.ringSize);
    this.file?.append(JSON.stringify(entry) + '\n');
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

  /** What reached the log file, and what did not. */
  fileStatus(): LogFileStatus {
    const status: LogFileStatus = { unwritten: this.file?.unwritten ?? 0 };
    if (this.fileName) status.file = this.fileName;
    if (this.file?.problem) status.problem = this.file.problem;
    return status;
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
    if (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      this.events.emit('appended', batch);
    }
    // The count of unwritten entries travels with the batches, not with every entry.
    if (this.file && this.file.unwritten !== this.announcedUnwritten) {
      this.announcedUnwritten = this.file.unwritten;
      this.events.emit('status', this.fileStatus());
    }
  }

  /** Resolves once every entry so far reached the file (or was counted as unwritten). */
  async written(): Promise<void> {
    await this.file?.flushed();
  }

  /** Writes what is queued; later entries stay in memory only (work still ending logs harmlessly). */
  async dispose(): Promise<void> {
    this.flush();
    await this.file?.close();
  }

  /**
   * The file stopped taking entries, or takes them again: one entry says so (kept in memory;
   * the file may take it or count it), never one per failed write.
   */
  private fileProblem(problem: string | undefined, unwritten: number): void {
    if (problem) this.append('warn', 'logs', `cannot write the log file ${this.fileName} (${problem}): entries stay in memory only, counted, until it works again`);
    else this.append('info', 'logs', `the log file ${this.fileName} takes entries again; ${unwritten} were not written to it (see the logs view while clab-publisher runs)`);
    this.announcedUnwritten = unwritten;
    this.events.emit('status', this.fileStatus());
  }
}
