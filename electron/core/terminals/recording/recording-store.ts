import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/rpc-errors';
import type { TerminalRecordingInfo, TerminalSessionInfo } from '../../../../shared/terminal-model';
import type { Logger } from '../../logs/logger';
import { AsciicastRecorder } from './asciicast-recorder';

export interface RecordingLimits {
  /** Per recording; the player reads it whole, so keep it a size a page can take. */
  maxBytes: number;
  /** Queued for the disk per recording before output is skipped. */
  maxPendingBytes: number;
  /** Recordings listed from the folder at start (newest kept). */
  maxListed: number;
}

export const DEFAULT_RECORDING_LIMITS: RecordingLimits = { maxBytes: 8 * 1024 * 1024, maxPendingBytes: 512 * 1024, maxListed: 2000 };

type Meta = Omit<TerminalRecordingInfo, 'durationS' | 'bytes' | 'complete'> & { durationS: number; bytes: number; complete: boolean; title: string };

/** What a recording is labelled with: the session's own facts. */
export type StartRecording = Pick<TerminalSessionInfo, 'shareId' | 'attendeeName' | 'host' | 'lab' | 'node' | 'cols' | 'rows'> & { sessionId: string };

export interface ActiveRecording {
  readonly id: string;
  output(chunk: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Closes the file and saves the final length; resolves when both are on disk. */
  finish(): Promise<void>;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const META_MAX_BYTES = 16 * 1024;

/**
 * Recordings of terminal sessions under `<data folder>/recordings`: `<id>.cast` (asciicast v2)
 * and `<id>.json` beside it (who, which node, when, how long), the latter written when the
 * recording starts and again when it ends, each time to a temporary file renamed over. Ids are
 * UUIDs made here; any other id is refused before a path is built from it.
 */
export class RecordingStore {
  private readonly metas = new Map<string, Meta>();
  private readonly live = new Map<string, AsciicastRecorder>();
  readonly limits: RecordingLimits;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    limits: Partial<RecordingLimits> = {},
  ) {
    this.limits = { ...DEFAULT_RECORDING_LIMITS, ...limits };
  }

  /** Lists what earlier runs recorded; a recording the app did not finish counts as complete. */
  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json') && ID.test(n.slice(0, -5)));
    const metas = await Promise.all(names.map((n) => this.readMeta(n.slice(0, -5))));
    const found = metas.filter((m): m is Meta => !!m).sort((a, b) => b.startedAt - a.startedAt).slice(0, this.limits.maxListed);
    for (const m of found) {
      if (this.metas.has(m.id)) continue;
      // The app ended during the recording: its length is in the file, not in the facts.
      if (!m.complete) Object.assign(m, await this.lengthFromFile(m.id), { complete: true });
      this.metas.set(m.id, m);
    }
    if (names.length > found.length) this.log.warn(`listed ${found.length} of ${names.length} recordings in ${this.dir}`);
  }

  start(s: StartRecording): ActiveRecording {
    const id = randomUUID();
    const startedAt = Date.now();
    const title = `${s.attendeeName ? `${s.attendeeName} on ` : ''}${s.node} (lab ${s.lab})`;
    const meta: Meta = { id, sessionId: s.sessionId, host: s.host, lab: s.lab, node: s.node, startedAt, durationS: 0, bytes: 0, complete: false, title };
    if (s.shareId) meta.shareId = s.shareId;
    if (s.attendeeName) meta.attendeeName = s.attendeeName;
    const rec = new AsciicastRecorder({
      file: this.castFile(id),
      header: { version: 2, width: s.cols, height: s.rows, timestamp: Math.floor(startedAt / 1000), title, env: { TERM: 'xterm-256color' } },
      maxBytes: this.limits.maxBytes,
      maxPendingBytes: this.limits.maxPendingBytes,
      onProblem: (m) => this.log.error(m, { recording: id }),
    });
    this.metas.set(id, meta);
    this.live.set(id, rec);
    const saved = this.saveMeta(meta);
    return {
      id,
      output: (c) => rec.output(c),
      resize: (c, r) => rec.resize(c, r),
      finish: async () => {
        await saved;
        await rec.finish();
        this.live.delete(id);
        const m = this.metas.get(id);
        if (!m) return; // deleted while running
        Object.assign(m, { durationS: round(rec.durationS), bytes: rec.bytes, complete: true });
        await this.saveMeta(m);
      },
    };
  }

  list(): TerminalRecordingInfo[] {
    return [...this.metas.values()].sort((a, b) => b.startedAt - a.startedAt).map((m) => {
      const rec = this.live.get(m.id);
      const { title: _title, ...info } = m;
      return rec ? { ...info, durationS: round(rec.durationS), bytes: rec.bytes } : info;
    });
  }

  /** The whole recording, read with a bound; a file grown past it (edited by hand) is cut at a line. */
  async read(id: string): Promise<{ text: string; truncated: boolean }> {
    this.known(id);
    const cap = this.limits.maxBytes + 64 * 1024;
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.castFile(id), 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('not_found', `recording ${id} has no file (yet)`, 'A recording starts with the session\'s first output; try again in a moment.', 'id');
      throw err;
    }
    try {
      const buf = Buffer.alloc(cap + 1);
      let n = 0;
      while (n < buf.length) {
        const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      if (n <= cap) return { text: buf.subarray(0, n).toString('utf8'), truncated: false };
      const last = buf.lastIndexOf(0x0a, cap - 1);
      this.log.warn(`recording ${id} is larger than ${cap} bytes: only its first part was read`);
      return { text: buf.subarray(0, last + 1).toString('utf8'), truncated: true };
    } finally {
      await fh.close();
    }
  }

  async remove(id: string): Promise<void> {
    this.known(id);
    if (this.live.has(id)) throw new AppError('conflict', 'this recording is still running', 'End the session first (or wait for it to end), then delete the recording.', 'id');
    this.metas.delete(id);
    await Promise.all([fs.rm(this.castFile(id), { force: true }), fs.rm(this.metaFile(id), { force: true })]);
  }

  /** Waits for every running recording to reach the disk (the app is closing). */
  async flush(): Promise<void> {
    await Promise.all([...this.live.values()].map((r) => r.finish()));
  }

  private known(id: string): void {
    if (!ID.test(id) || !this.metas.has(id)) throw new AppError('not_found', `no recording ${id}`, 'terminals.recordings lists them', 'id');
  }

  private castFile(id: string): string {
    return path.join(this.dir, `${id}.cast`);
  }

  private metaFile(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private async saveMeta(m: Meta): Promise<void> {
    const tmp = `${this.metaFile(m.id)}.${process.pid}.tmp`;
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await fs.writeFile(tmp, `${JSON.stringify(m)}\n`, { mode: 0o600 });
      await fs.rename(tmp, this.metaFile(m.id));
    } catch (err) {
      this.log.error(`cannot save the facts of recording ${m.id}: ${(err as Error).message}`);
    }
  }

  /** Size and the last event's time, from the file's last few KiB (bounded, whatever its size). */
  private async lengthFromFile(id: string): Promise<{ bytes: number; durationS: number }> {
    try {
      const fh = await fs.open(this.castFile(id), 'r');
      try {
        const { size } = await fh.stat();
        const tail = Buffer.alloc(Math.min(size, 8192));
        await fh.read(tail, 0, tail.length, size - tail.length);
        const lines = tail.toString('utf8').split('\n').reverse();
        for (const l of lines) {
          const m = /^\[(\d+(?:\.\d+)?),/.exec(l);
          if (m) return { bytes: size, durationS: round(Number(m[1])) };
        }
        return { bytes: size, durationS: 0 };
      } finally {
        await fh.close();
      }
    } catch {
      return { bytes: 0, durationS: 0 };
    }
  }

  private async readMeta(id: string): Promise<Meta | undefined> {
    try {
      const fh = await fs.open(this.metaFile(id), 'r');
      try {
        const buf = Buffer.alloc(META_MAX_BYTES);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        const m = JSON.parse(buf.subarray(0, bytesRead).toString('utf8')) as Meta;
        return m && m.id === id && typeof m.startedAt === 'number' && typeof m.node === 'string' ? m : undefined;
      } finally {
        await fh.close();
      }
    } catch (err) {
      this.log.warn(`skipped recording ${id}: its facts file cannot be read (${(err as Error).message})`);
      return undefined;
    }
  }
}

const round = (s: number) => Math.round(s * 10) / 10;
