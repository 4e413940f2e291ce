import type { Throughput } from '../../../shared/model';

export const BUCKET_MS = 5000;
export const BUCKETS = 12;

/**
 * Bytes per direction over the last minute in fixed 5 s buckets. A ring that is advanced by
 * the clock when bytes arrive or a snapshot is taken, so an idle tunnel costs no timer, and
 * `add()` (on the hot path, once per chunk) allocates nothing.
 */
export class ThroughputMeter {
  private readonly in: number[];
  private readonly out: number[];
  /** Ring index of the newest bucket. */
  private head = 0;
  /** Start time of the newest bucket, aligned to `bucketMs` so every tunnel's buckets line up. */
  private headStart: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly bucketMs = BUCKET_MS,
    private readonly buckets = BUCKETS,
  ) {
    this.in = new Array<number>(buckets).fill(0);
    this.out = new Array<number>(buckets).fill(0);
    this.headStart = this.align(now());
  }

  add(dir: 'in' | 'out', n: number): void {
    const t = this.now();
    if (t - this.headStart >= this.bucketMs) this.advance(t);
    if (dir === 'in') this.in[this.head] += n;
    else this.out[this.head] += n;
  }

  /** Oldest bucket first; the last one is the (partly elapsed) current bucket. */
  snapshot(): Throughput {
    this.advance(this.now());
    const order = (ring: number[]) => Array.from({ length: this.buckets }, (_, i) => ring[(this.head + 1 + i) % this.buckets]);
    return { bucketMs: this.bucketMs, in: order(this.in), out: order(this.out) };
  }

  private advance(t: number): void {
    const steps = Math.floor((t - this.headStart) / this.bucketMs);
    if (steps <= 0) return; // a clock that stepped back keeps counting into the current bucket
    // Buckets skipped while idle are emptied; a gap longer than the window empties them all.
    for (let i = 0; i < Math.min(steps, this.buckets); i++) {
      this.head = (this.head + 1) % this.buckets;
      this.in[this.head] = 0;
      this.out[this.head] = 0;
    }
    this.headStart = this.align(t);
  }

  private align(t: number): number {
    return t - (t % this.bucketMs);
  }
}
