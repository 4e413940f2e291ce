import fs from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { eventLine, headerLine, type AsciicastHeader } from '../../../../shared/asciicast';

export interface RecorderOptions {
  file: string;
  header: AsciicastHeader;
  /** The file never grows past this: at the cap a last note is written and recording stops. */
  maxBytes: number;
  /** Bytes waiting for the disk; beyond this, output is skipped (and a note says how much). */
  maxPendingBytes: number;
  /** Monotonic milliseconds (performance.now by default). */
  now?: () => number;
  /** A write failed: recording stops, the session goes on. */
  onProblem?: (message: string) => void;
}

/**
 * One session's asciicast v2 file, written in the background: events are queued as lines and
 * one write at a time drains the queue, so a slow disk never holds up the terminal. Memory is
 * bounded by `maxPendingBytes` (a flood the disk cannot keep up with is skipped, with a note
 * in the recording saying how much), the file by `maxBytes`. Output chunks may split UTF-8
 * characters: a decoder carries the partial bytes over to the next event.
 */
export class AsciicastRecorder {
  private readonly now: () => number;
  private readonly t0: number;
  private readonly decoder = new StringDecoder('utf8');
  private queue: string[] = [];
  private pending = 0;
  /** Bytes in the file plus those queued for it. */
  private size = 0;
  private skipped = 0;
  private capped = false;
  private failed = false;
  private finished = false;
  private writing?: Promise<void>;
  private handle?: Promise<fs.FileHandle>;
  private lastTime = 0;

  constructor(private readonly o: RecorderOptions) {
    this.now = o.now ?? (() => performance.now());
    this.t0 = this.now();
    this.enqueue(headerLine(o.header), true);
  }

  /** Bytes of the recording so far (written or on their way). */
  get bytes(): number {
    return this.size;
  }

  /** Seconds from the start to the last event. */
  get durationS(): number {
    return this.lastTime;
  }

  output(chunk: Buffer): void {
    if (this.stopped) return;
    const text = this.decoder.write(chunk);
    if (text) this.event('o', text);
  }

  resize(cols: number, rows: number): void {
    if (!this.stopped) this.event('r', `${cols}x${rows}`);
  }

  /** Flushes what is queued and closes the file; safe to call more than once. */
  async finish(): Promise<void> {
    if (!this.finished) {
      const rest = this.decoder.end();
      if (rest && !this.stopped) this.event('o', rest);
      if (this.skipped && !this.stopped) this.enqueue(this.skippedNote((this.now() - this.t0) / 1000));
      this.finished = true;
    }
    while (this.writing) await this.writing;
    const h = this.handle;
    this.handle = undefined;
    if (h) await h.then((fh) => fh.close()).catch(() => undefined);
  }

  private get stopped(): boolean {
    return this.finished || this.capped || this.failed;
  }

  private event(code: 'o' | 'r', data: string): void {
    const t = (this.now() - this.t0) / 1000;
    if (this.pending > this.o.maxPendingBytes) {
      this.skipped += Buffer.byteLength(data);
      return;
    }
    if (this.skipped && !this.enqueue(this.skippedNote(t))) return;
    const line = eventLine(t, code, data);
    if (!this.enqueue(line)) return;
    this.lastTime = t;
  }

  private skippedNote(t: number): string {
    const note = this.note(t, `[recording: ${this.skipped} bytes of output skipped, the disk was too slow]`);
    this.skipped = 0;
    return note;
  }

  private note(t: number, text: string): string {
    return eventLine(t, 'o', `\r\n\x1b[33m${text}\x1b[0m\r\n`);
  }

  /** Queues one line unless it would pass the cap; at the cap, a closing note instead. */
  private enqueue(line: string, header = false): boolean {
    const n = Buffer.byteLength(line);
    if (!header && this.size + n > this.o.maxBytes - NOTE_ROOM) {
      this.capped = true;
      const note = this.note((this.now() - this.t0) / 1000, `[recording stopped: it reached ${Math.round(this.o.maxBytes / 1024 / 1024)} MiB]`);
      this.push(note, Buffer.byteLength(note));
      return false;
    }
    this.push(line, n);
    return true;
  }

  private push(line: string, n: number): void {
    this.queue.push(line);
    this.pending += n;
    this.size += n;
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      this.handle ??= fs.mkdir(path.dirname(this.o.file), { recursive: true, mode: 0o700 }).then(() => fs.open(this.o.file, 'wx', 0o600));
      const fh = await this.handle;
      while (this.queue.length && !this.failed) {
        const batch = this.queue.join('');
        const n = this.pending;
        this.queue = [];
        await fh.write(batch);
        this.pending -= n;
      }
    } catch (err) {
      this.failed = true;
      this.queue = [];
      this.pending = 0;
      this.o.onProblem?.(`recording to ${this.o.file} stopped: ${(err as Error).message}`);
    } finally {
      this.writing = undefined;
    }
  }
}

/** Room kept under the cap for the closing note. */
const NOTE_ROOM = 256;
