import { parseResize, type Asciicast } from '../../shared/asciicast';

/** Where the playback draws: an xterm.js terminal in the player. */
export interface PlaybackSink {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  reset(): void;
}

export interface PlaybackClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PlaybackClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Plays an asciicast with its timing: each "o" event is written when its time comes, "r"
 * events resize the terminal. Pausing keeps the position; seeking redraws from the start up
 * to the new position at once (a terminal's screen is the sum of everything before it).
 */
export class Playback {
  private index = 0;
  /** Seconds into the recording while paused; the start of the current run while playing. */
  private pos = 0;
  private startedAt = 0;
  private timer: unknown;
  private running = false;
  private drawn = false;
  private rev = 0;
  private readonly listeners = new Set<() => void>();

  /** Draws nothing until played or sought. */
  constructor(
    private readonly cast: Asciicast,
    private readonly sink: PlaybackSink,
    private readonly clock: PlaybackClock = realClock,
  ) {}

  /** Bumped on every change (play, pause, seek, end): a snapshot for the view. */
  get version(): number {
    return this.rev;
  }

  get playing(): boolean {
    return this.running;
  }

  get duration(): number {
    return this.cast.duration;
  }

  /** Seconds into the recording. */
  get position(): number {
    return this.running ? Math.min(this.cast.duration, this.pos + (this.clock.now() - this.startedAt) / 1000) : this.pos;
  }

  get ended(): boolean {
    return this.index >= this.cast.events.length;
  }

  play(): void {
    if (this.running) return;
    if (this.ended || !this.drawn) this.seek(0);
    this.running = true;
    this.startedAt = this.clock.now();
    this.tick();
    this.changed();
  }

  pause(): void {
    if (!this.running) return;
    this.pos = this.position;
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.changed();
  }

  seek(seconds: number): void {
    const t = Math.max(0, Math.min(this.cast.duration, seconds));
    this.clock.clearTimeout(this.timer);
    this.drawn = true;
    this.sink.reset();
    this.sink.resize(this.cast.header.width, this.cast.header.height);
    this.index = 0;
    this.emitUntil(t);
    this.pos = t;
    this.startedAt = this.clock.now();
    if (this.running) this.tick();
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.running = false;
    this.listeners.clear();
  }

  private tick(): void {
    this.emitUntil(this.position);
    if (this.ended) {
      this.pos = this.cast.duration;
      this.running = false;
      return this.changed();
    }
    const next = this.cast.events[this.index][0];
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, (next - this.position) * 1000));
  }

  /** Every event up to `t`, batched into as few writes as possible. */
  private emitUntil(t: number): void {
    let out = '';
    const events = this.cast.events;
    while (this.index < events.length && events[this.index][0] <= t) {
      const [, code, data] = events[this.index++];
      if (code === 'o') out += data;
      else if (code === 'r') {
        const size = parseResize(data);
        if (!size) continue;
        if (out) this.sink.write(out);
        out = '';
        this.sink.resize(size.cols, size.rows);
      }
    }
    if (out) this.sink.write(out);
  }

  private changed(): void {
    this.rev++;
    this.listeners.forEach((l) => l());
  }
}
