import fs from 'node:fs/promises';
import { writeProblem } from '../util/save-error';

export interface LogFileOptions {
  file: string;
  maxFileBytes: number;
  keepFiles: number;
  /** Bytes waiting for the disk before the oldest are dropped (counted as unwritten). */
  maxQueuedBytes: number;
  /** Bytes the file already holds. */
  initialBytes: number;
  /** Writing failed (first time since it last worked), or works again. */
  onProblem(problem: string | undefined, unwritten: number): void;
}

/**
 * The rotating JSONL file behind the log store, written asynchronously: a write never blocks
 * the loop and never throws. What cannot be written (a full disk, a folder removed under a
 * running core) is counted, the first failure of a run of them reported once, and writing
 * goes on with the next entries, so the file catches up when the disk does.
 */
export class LogFile {
  private queue: string[] = [];
  private queuedBytes = 0;
  private fileBytes: number;
  private writing: Promise<void> | undefined;
  private failing = false;
  /** A failed append may have left half a line: the next write starts on a line of its own. */
  private brokenLine = false;
  private closed = false;
  unwritten = 0;
  problem: string | undefined;

  constructor(private readonly o: LogFileOptions) {
    this.fileBytes = o.initialBytes;
  }

  append(line: string): void {
    if (this.closed) return;
    this.queue.push(line);
    this.queuedBytes += line.length;
    // A disk slower than the logging: the oldest waiting lines go, counted.
    while (this.queuedBytes > this.o.maxQueuedBytes && this.queue.length > 1) {
      this.queuedBytes -= this.queue.shift()!.length;
      this.unwritten++;
    }
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
  }

  /** Resolves once what was appended so far is written (or given up). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes what is queued, then takes no more. */
  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const lines = this.queue;
      this.queue = [];
      this.queuedBytes = 0;
      try {
        await this.write(lines);
        if (this.failing) {
          this.failing = false;
          this.problem = undefined;
          this.o.onProblem(undefined, this.unwritten);
        }
      } catch (err) {
        this.unwritten += lines.length;
        this.brokenLine = true;
        this.problem = writeProblem(err);
        if (!this.failing) {
          this.failing = true;
          this.o.onProblem(this.problem, this.unwritten);
        }
      }
    }
  }

  /** Appends `lines`, rotating whenever the next line would take the file past its size. */
  private async write(lines: string[]): Promise<void> {
    let chunk = this.brokenLine ? '\n' : '';
    this.brokenLine = false;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.fileBytes + Buffer.byteLength(chunk) + bytes > this.o.maxFileBytes && (chunk || this.fileBytes > 0)) {
        if (chunk) await this.appendChunk(chunk);
        chunk = '';
        await this.rotate();
      }
      chunk += line;
    }
    if (chunk) await this.appendChunk(chunk);
  }

  private async appendChunk(chunk: string): Promise<void> {
    await fs.appendFile(this.o.file, chunk, { mode: 0o600 });
    this.fileBytes += Buffer.byteLength(chunk);
  }

  private async rotate(): Promise<void> {
    const f = this.o.file;
    for (let i = this.o.keepFiles - 1; i >= 1; i--) {
      const from = i === 1 ? f : `${f}.${i - 1}`;
      await fs.rename(from, `${f}.${i}`).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    this.fileBytes = 0;
  }
}
