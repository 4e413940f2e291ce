import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './failure-limiter';

describe('failed secrets per source address', () => {
  it('blocks an address after maxFailures within the window, until the oldest leaves it', () => {
    let now = 1_000_000;
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, maxSources: 100 }, () => now);
    l.fail('198.51.100.7');
    now += 1000;
    l.fail('198.51.100.7');
    expect(l.blockedFor('198.51.100.7')).toBe(0);
    now += 1000;
    l.fail('198.51.100.7');
    // The first failure leaves the window 58 s from now.
    expect(l.blockedFor('198.51.100.7')).toBe(58);
    expect(l.blockedFor('198.51.100.8')).toBe(0);
    now += 58_000;
    expect(l.blockedFor('198.51.100.7')).toBe(0);
  });

  it('forgets the least recently failing address past maxSources (bounded memory)', () => {
    const l = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, maxSources: 3 }, () => 5);
    for (const a of ['a', 'b', 'c', 'd']) l.fail(a);
    expect(l.size).toBe(3);
    expect(l.blockedFor('a')).toBe(0);
    expect(l.blockedFor('d')).toBeGreaterThan(0);
  });
});
