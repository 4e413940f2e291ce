/**
 * Failed secrets per source address: after `maxFailures` within `windowMs` the address is
 * refused (429) until its oldest failure leaves the window. Guessing a 256-bit secret is
 * hopeless anyway; this keeps a scanner from filling the log and the audit, and tells a
 * person who mistyped a link what happened. Bounded: past `maxSources` addresses the
 * least recently failing one is forgotten.
 */
export interface FailureLimits {
  maxFailures: number;
  windowMs: number;
  maxSources: number;
}

export const DEFAULT_FAILURE_LIMITS: FailureLimits = { maxFailures: 10, windowMs: 60_000, maxSources: 10_000 };

export class FailureLimiter {
  /** Failure times per address, oldest first; Map order is least recently failing first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: FailureLimits = DEFAULT_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again; 0 when it may now. */
  blockedFor(address: string): number {
    const times = this.recent(address);
    if (times.length < this.limits.maxFailures) return 0;
    return Math.max(1, Math.ceil((times[0] + this.limits.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const times = this.recent(address);
    times.push(this.now());
    // Only the last maxFailures matter for the decision.
    if (times.length > this.limits.maxFailures) times.splice(0, times.length - this.limits.maxFailures);
    this.failures.delete(address);
    this.failures.set(address, times);
    if (this.failures.size > this.limits.maxSources) this.failures.delete(this.failures.keys().next().value!);
  }

  get size(): number {
    return this.failures.size;
  }

  private recent(address: string): number[] {
    const times = this.failures.get(address);
    if (!times) return [];
    const since = this.now() - this.limits.windowMs;
    while (times.length && times[0] <= since) times.shift();
    if (!times.length) this.failures.delete(address);
    return times;
  }
}
