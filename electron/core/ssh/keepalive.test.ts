import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Keepalive } from './keepalive';

describe('Keepalive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(o: { sendOk?: () => boolean } = {}) {
    const pending: ((ok: boolean) => void)[] = [];
    const dead = vi.fn();
    const rtts: number[] = [];
    const ka = new Keepalive({
      intervalMs: 1000,
      maxMissed: 4,
      send: (answered) => {
        if (o.sendOk && !o.sendOk()) return false;
        pending.push(answered);
        return true;
      },
      onRtt: (ms) => rtts.push(ms),
      onDead: dead,
    });
    ka.start();
    return { ka, pending, dead, rtts };
  }

  it('declares the connection dead on the tick after the 4th unanswered request, not before', () => {
    const { pending, dead } = setup();
    vi.advanceTimersByTime(4000);
    expect(pending).toHaveLength(4);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(dead).toHaveBeenCalledWith(4);
    vi.advanceTimersByTime(10_000);
    expect(pending).toHaveLength(4); // stopped: nothing more sent
    expect(dead).toHaveBeenCalledTimes(1);
  });

  it('starts counting again after any answer, even a late one, and reports its round trip', () => {
    const { pending, dead, rtts } = setup();
    vi.advanceTimersByTime(3000); // 3 outstanding
    vi.advanceTimersByTime(250);
    pending[0](true); // the first one, answered late: the server is alive
    expect(rtts).toHaveLength(1);
    expect(rtts[0]).toBeGreaterThanOrEqual(2250);
    vi.advanceTimersByTime(4000);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(dead).toHaveBeenCalledTimes(1);
  });

  it('does not count a request that could not be sent, nor an answer after the link closed', () => {
    let writable = false;
    const { ka, pending, dead, rtts } = setup({ sendOk: () => writable });
    vi.advanceTimersByTime(10_000);
    expect(dead).not.toHaveBeenCalled();
    writable = true;
    vi.advanceTimersByTime(1000);
    pending[0](false);
    expect(rtts).toEqual([]);
    ka.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
