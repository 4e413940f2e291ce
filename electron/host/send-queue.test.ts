import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../shared/model';
import { ClientSendQueue, type ClientLink } from './send-queue';

// The queue's policy with a link whose buffer the test sets (slow-readers.test.ts has the
// same with real sockets): what goes out, in what order, when reading pauses, when it gives up.

const HIGH = 1000;

function setup() {
  const sent: { method?: string; params?: unknown; id?: unknown }[] = [];
  const said: string[] = [];
  const link: ClientLink & { buffered: number; paused: boolean; closedWith: string | undefined } = {
    buffered: 0,
    paused: false,
    closedWith: undefined,
    bufferedAmount: () => link.buffered,
    send: (text: string) => void sent.push(JSON.parse(text)),
    pauseReading: () => void (link.paused = true),
    resumeReading: () => void (link.paused = false),
    closeStuck: (reason: string) => void (link.closedWith = reason),
    say: (line: string) => void said.push(line),
  };
  const queue = new ClientSendQueue(link, { sendHighWaterBytes: HIGH, stuckMs: 1000, maxPendingLogLines: 3 });
  return { link, queue, sent, said };
}

const log = (n: number) => ({ id: n, message: `line ${n}` }) as unknown as LogEntry;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ClientSendQueue', () => {
  it('sends straight through while the client keeps up', () => {
    const { queue, sent, link } = setup();
    queue.event('labs.changed', []);
    queue.answer({ jsonrpc: '2.0', id: 1, result: 2 });
    expect(sent).toEqual([{ jsonrpc: '2.0', method: 'labs.changed', params: [] }, { jsonrpc: '2.0', id: 1, result: 2 }]);
    expect(link.paused).toBe(false);
  });

  it('when backed up: pauses reading, keeps the latest snapshot of each event and the newest log lines, then sends them in order', () => {
    const { queue, sent, link, said } = setup();
    link.buffered = HIGH + 1;
    queue.event('tunnels.changed', [1] as never);
    expect(link.paused).toBe(true);
    queue.event('labs.changed', ['a'] as never);
    queue.event('logs.appended', [log(1), log(2)]);
    queue.event('tunnels.changed', [2] as never);
    queue.event('logs.appended', [log(3), log(4), log(5)]);
    expect(sent).toEqual([]);
    link.buffered = 0;
    vi.advanceTimersByTime(300);
    expect(sent.map((m) => [m.method, m.params])).toEqual([
      ['labs.changed', ['a']],
      ['logs.appended', [log(3), log(4), log(5)]],
      ['tunnels.changed', [2]],
    ]);
    expect(link.paused).toBe(false);
    expect(said).toEqual([expect.stringMatching(/2 log lines were not pushed/)]);
  });

  it('when backed up: tunnel deltas merge by tunnel (newest snapshot wins) and a whole tunnel list drops the deltas before it, not after', () => {
    const { queue, sent, link } = setup();
    const t = (id: string, total: number) => ({ id, counters: { total } }) as never;
    link.buffered = HIGH + 1;
    queue.event('tunnels.updated', [t('a', 1), t('b', 1)]);
    queue.event('tunnels.changed', [t('a', 2), t('b', 2)]);
    queue.event('tunnels.updated', [t('a', 3)]);
    queue.event('labs.changed', ['x'] as never);
    queue.event('tunnels.updated', [t('b', 4), t('a', 5)]);
    link.buffered = 0;
    vi.advanceTimersByTime(300);
    expect(sent.map((m) => [m.method, m.params])).toEqual([
      ['tunnels.changed', [t('a', 2), t('b', 2)]],
      ['tunnels.updated', [t('a', 5), t('b', 4)]],
      ['labs.changed', ['x']],
    ]);
  });

  it('answers are never held back or dropped, but pause reading when they fill the buffer', () => {
    const { queue, sent, link } = setup();
    link.buffered = HIGH + 1;
    queue.answer({ id: 1 });
    queue.answer({ id: 2 });
    expect(sent.map((m) => m.id)).toEqual([1, 2]);
    expect(link.paused).toBe(true);
  });

  it('closes a client that reads nothing for stuckMs, not one that reads slowly', () => {
    const { queue, link, said } = setup();
    link.buffered = 50_000;
    queue.event('labs.changed', []);
    // Slow but moving: the buffer shrinks at every look.
    for (let i = 0; i < 20; i++) {
      link.buffered -= 100;
      vi.advanceTimersByTime(250);
    }
    expect(link.closedWith).toBeUndefined();
    vi.advanceTimersByTime(1250);
    expect(link.closedWith).toMatch(/^too slow: .*; reconnect/);
    expect(Buffer.byteLength(link.closedWith!)).toBeLessThanOrEqual(123); // a close reason's limit
    expect(said).toEqual([expect.stringMatching(/closed an API client that read too slowly/)]);
    queue.event('labs.changed', []); // ignored after closing
    expect(vi.getTimerCount()).toBe(0);
  });
});
