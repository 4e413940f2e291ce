import { describe, expect, it } from 'vitest';
import { applyUpdates, mergeUpdates } from './tunnel-updates';

const t = (id: string, n: number) => ({ id, n });

describe('tunnel updates', () => {
  it('merges deltas by id: the newest snapshot of each, in first-seen order', () => {
    expect(mergeUpdates([t('a', 1), t('b', 1)], [t('c', 2), t('a', 2)])).toEqual([t('a', 2), t('b', 1), t('c', 2)]);
  });

  it('applies a delta in place, ignores tunnels the list does not hold, and keeps the list when nothing applies', () => {
    const list = [t('a', 1), t('b', 1), t('c', 1)];
    const out = applyUpdates(list, [t('b', 2), t('gone', 9)]);
    expect(out).toEqual([t('a', 1), t('b', 2), t('c', 1)]);
    expect(out[0]).toBe(list[0]);
    expect(applyUpdates(list, [t('gone', 9)])).toBe(list);
    expect(applyUpdates(list, [])).toBe(list);
  });
});
