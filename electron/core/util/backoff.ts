/** Exponential backoff with jitter; `reset()` after a healthy period. */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly initialMs = 1000,
    private readonly maxMs = 300_000,
    private readonly factor = 2,
  ) {}

  /** Delay before the next attempt, growing each call. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.attempt = 0;
  }
}
