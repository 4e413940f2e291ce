import type { TerminalSessionInfo } from '../../../shared/terminal-model';
import { Backlog } from './backlog';
import type { ActiveRecording } from './recording/recording-store';
import { clampSize, type ShellChannel } from './shell-channel';
import type { BroadcastView, TerminalSession } from './terminal-types';

export interface LiveSessionOptions {
  info: TerminalSessionInfo;
  shell: ShellChannel;
  backlogBytes: number;
  idleTimeoutMs?: number;
  recording?: ActiveRecording;
  /** Something the owner's view shows moved: `structural` for broadcast/spectators, else bytes. */
  changed(structural: boolean): void;
  /** Called once, after the exit listeners, however the session ended. */
  ended(session: LiveSession, reason: string): void;
  now?: () => number;
}

/**
 * One open terminal: the shell behind it (SSH or the engine), its recent output, its
 * counters, its idle timer and its recording. Viewers attach through `onData` (the audience
 * page, the owner's view, spectators in watch mode); a listener that throws is dropped rather
 * than allowed to break the others. Ends once, with a reason every viewer hears.
 */
export class LiveSession implements TerminalSession {
  readonly id: string;
  private readonly data = new Set<(chunk: Buffer) => void>();
  private readonly exits = new Set<(reason: string) => void>();
  private readonly buffer: Backlog;
  private readonly now: () => number;
  private readonly state: TerminalSessionInfo;
  private idleTimer?: NodeJS.Timeout;
  private exitReason?: string;

  constructor(private readonly o: LiveSessionOptions) {
    this.id = o.info.id;
    this.state = { ...o.info };
    this.now = o.now ?? Date.now;
    this.buffer = new Backlog(o.backlogBytes);
    o.shell.onData((chunk) => this.output(chunk));
    o.shell.onEnd((reason) => this.end(reason));
    this.armIdle(o.idleTimeoutMs);
  }

  /** Settles once the node side is torn down after the session ended (bounded by the backend). */
  get gone(): Promise<void> {
    return this.o.shell.gone ?? Promise.resolve();
  }

  get ended(): boolean {
    return this.exitReason !== undefined;
  }

  info(): TerminalSessionInfo {
    return { ...this.state };
  }

  backlog(): Buffer {
    return this.buffer.read();
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    if (this.ended) return () => undefined;
    this.data.add(listener);
    return () => this.data.delete(listener);
  }

  /** A listener added after the end hears the reason right away (on the next tick). */
  onExit(listener: (reason: string) => void): () => void {
    if (this.exitReason !== undefined) {
      const reason = this.exitReason;
      queueMicrotask(() => listener(reason));
      return () => undefined;
    }
    this.exits.add(listener);
    return () => this.exits.delete(listener);
  }

  write(data: Buffer | string): void {
    if (this.ended) return;
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (!b.length) return;
    this.state.bytesIn += b.length;
    this.touch();
    this.o.shell.write(b);
    this.o.changed(false);
  }

  resize(cols: number, rows: number): void {
    if (this.ended) return;
    const s = clampSize(cols, rows);
    if (s.cols === this.state.cols && s.rows === this.state.rows) return;
    this.state.cols = s.cols;
    this.state.rows = s.rows;
    this.o.shell.resize(s.cols, s.rows);
    this.o.recording?.resize(s.cols, s.rows);
    this.o.changed(true);
  }

  close(reason: string): void {
    if (this.ended) return;
    this.o.shell.close();
    this.end(reason);
  }

  /** Output only, for spectators: a new object without `write`, `resize` or `close`. */
  readOnly(): BroadcastView {
    return Object.freeze({
      id: this.id,
      info: () => this.info(),
      backlog: () => this.backlog(),
      onData: (l: (chunk: Buffer) => void) => this.onData(l),
      onExit: (l: (reason: string) => void) => this.onExit(l),
    });
  }

  setBroadcast(shareId: string | undefined): void {
    this.state.broadcast = shareId !== undefined;
    if (shareId === undefined) delete this.state.broadcastTo;
    else this.state.broadcastTo = shareId;
    this.o.changed(true);
  }

  spectate(delta: 1 | -1): void {
    this.state.spectators = Math.max(0, this.state.spectators + delta);
    this.o.changed(true);
  }

  private output(chunk: Buffer): void {
    if (this.ended) return;
    this.state.bytesOut += chunk.length;
    this.touch();
    this.buffer.push(chunk);
    this.o.recording?.output(chunk);
    for (const l of [...this.data]) {
      try {
        l(chunk);
      } catch {
        this.data.delete(l);
      }
    }
    this.o.changed(false);
  }

  private touch(): void {
    this.state.lastActivityAt = this.now();
  }

  /** One timer per session, re-armed lazily: activity only moves a timestamp. */
  private armIdle(ms: number | undefined, delay = ms): void {
    if (!ms || delay === undefined) return;
    this.idleTimer = setTimeout(() => {
      const quiet = this.now() - this.state.lastActivityAt;
      if (quiet >= ms) this.close(`closed after ${formatIdle(ms)} without input or output`);
      else this.armIdle(ms, ms - quiet);
    }, delay);
    this.idleTimer.unref?.();
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.exitReason = reason;
    clearTimeout(this.idleTimer);
    this.data.clear();
    for (const l of [...this.exits]) {
      try {
        l(reason);
      } catch {
        // one viewer's failure must not keep the others from hearing the end
      }
    }
    this.exits.clear();
    this.o.ended(this, reason);
  }
}

function formatIdle(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}
