import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue';

function setup(max?: number) {
  const sent: [string, unknown][] = [];
  const q = new EventQueue<string>((n, p) => sent.push([n, p]), max);
  return { q, sent };
}

describe('EventQueue', () => {
  it('holds events until ready, then delivers them in order and passes new ones through', () => {
    const { q, sent } = setup();
    q.push('logs.appended', [1]);
    q.push('tunnels.changed', ['a']);
    expect(sent).toEqual([]);
    q.markReady();
    expect(sent).toEqual([
      ['logs.appended', [1]],
      ['tunnels.changed', ['a']],
    ]);
    q.push('labs.changed', []);
    expect(sent).toHaveLength(3);
    expect(q.pending).toBe(0);
  });

  it('keeps only the newest snapshot of each *.changed event', () => {
    const { q, sent } = setup();
    q.push('tunnels.changed', ['old']);
    q.push('logs.appended', [1]);
    q.push('tunnels.changed', ['new']);
    q.markReady();
    expect(sent).toEqual([
      ['logs.appended', [1]],
      ['tunnels.changed', ['new']],
    ]);
  });

  it('merges waiting tunnel deltas into one; a newer whole tunnel list drops those before it', () => {
    const { q, sent } = setup();
    const t = (id: string, n: number) => ({ id, n });
    q.push('tunnels.updated', [t('a', 1)]);
    q.push('tunnels.changed', [t('a', 2), t('b', 2)]);
    q.push('tunnels.updated', [t('a', 3)]);
    q.push('logs.appended', [1]);
    q.push('tunnels.updated', [t('b', 4), t('a', 5)]);
    expect(q.pending).toBe(3);
    q.markReady();
    expect(sent).toEqual([
      ['tunnels.changed', [t('a', 2), t('b', 2)]],
      ['tunnels.updated', [t('a', 5), t('b', 4)]],
      ['logs.appended', [1]],
    ]);
  });

  it('queues again after a reload starts', () => {
    const { q, sent } = setup();
    q.markReady();
    q.markNotReady();
    q.push('hosts.changed', []);
    expect(sent).toEqual([]);
    q.markReady();
    expect(sent).toEqual([['hosts.changed', []]]);
  });

  it('bounds queued log batches, dropping the oldest, never the snapshots', () => {
    const { q, sent } = setup(3);
    q.push('labs.changed', ['x']);
    for (let i = 0; i < 10; i++) q.push('logs.appended', [i]);
    expect(q.pending).toBe(4);
    q.markReady();
    expect(sent).toEqual([
      ['labs.changed', ['x']],
      ['logs.appended', [7]],
      ['logs.appended', [8]],
      ['logs.appended', [9]],
    ]);
  });
});
