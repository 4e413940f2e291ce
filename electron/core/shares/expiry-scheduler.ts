/** Longest single wait: a suspended laptop or a changed clock is noticed within this. */
const MAX_WAIT_MS = 60_000;

export interface SchedulerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
};

/**
 * One timer for the next moment a share changes state (10 minutes left, expired). Waits at most
 * a minute at a time, so long expiries (past setTimeout's 24.8 days) and clock jumps are safe.
 */
export class ExpiryScheduler {
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly clock: SchedulerClock,
    /** The earliest future transition of any share, epoch ms; undefined when none is due. */
    private readonly next: () => number | undefined,
    /** Re-derives every share's state (and acts on the changes). */
    private readonly fire: () => void,
  ) {}

  /** Call after anything that can move the next transition (a share added, extended, ...). */
  arm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const at = this.next();
    if (at === undefined) return;
    const wait = Math.min(Math.max(0, at - this.clock.now()), MAX_WAIT_MS);
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.fire();
      this.arm();
    }, wait);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
