import { describe, expect, it } from 'vitest';
import { applyUpdates, keepNewer, mergeUpdates } from './tunnel-updates';

const t = (id: string, n: number, seq?: number) => ({ id, n, ...(seq === undefined ? {} : { seq }) });

describe('tunnel updates', () => {
  it('merges deltas by id: the newest snapshot of each, in first-seen order', () => {
    expect(mergeUpdates([t('a', 1), t('b', 1)], [t('c', 2), t('a', 2)])).toEqual([t('a', 2), t('b', 1), t('c', 2)]);
    // By seq when they carry one: an older snapshot that came later does not win.
    expect(mergeUpdates([t('a', 2, 7), t('b', 1, 3)], [t('a', 1, 5), t('b', 2, 4)])).toEqual([t('a', 2, 7), t('b', 2, 4)]);
  });

  it('applies a delta in place, ignores tunnels the list does not hold, and keeps the list when nothing applies', () => {
    const list = [t('a', 1), t('b', 1), t('c', 1)];
    const out = applyUpdates(list, [t('b', 2), t('gone', 9)]);
    expect(out).toEqual([t('a', 1), t('b', 2), t('c', 1)]);
    expect(out[0]).toBe(list[0]);
    expect(applyUpdates(list, [t('gone', 9)])).toBe(list);
    expect(applyUpdates(list, [])).toBe(list);
  });

  it('drops a delta older than or as old as the snapshot held (it arrived after a newer list)', () => {
    const list = [t('a', 5, 10), t('b', 5, 10)];
    expect(applyUpdates(list, [t('a', 3, 7), t('b', 4, 10)])).toBe(list);
    expect(applyUpdates(list, [t('a', 3, 7), t('b', 6, 11)])).toEqual([t('a', 5, 10), t('b', 6, 11)]);
  });

  it('takes a whole list (its tunnels, its order) but keeps any tunnel held in a newer snapshot', () => {
    const held = [t('a', 1, 3), t('b', 9, 12), t('c', 1, 3)];
    const list = [t('b', 4, 6), t('a', 2, 6), t('new', 0, 6)];
    const out = keepNewer(held, list);
    expect(out).toEqual([t('b', 9, 12), t('a', 2, 6), t('new', 0, 6)]);
    expect(out[0]).toBe(held[1]);
    // Nothing held is newer: the list itself.
    expect(keepNewer([t('a', 1, 3)], list)).toBe(list);
    expect(keepNewer([], list)).toBe(list);
  });
});
