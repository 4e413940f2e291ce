import { describe, expect, it } from 'vitest';
import { SnapshotStamps } from './snapshot-stamps';

const t = (id: string): { id: string; seq?: number } => ({ id });

describe('SnapshotStamps', () => {
  it('keeps a tunnel\'s seq while nothing of it changed, and gives a higher one after any change', () => {
    const s = new SnapshotStamps();
    const a1 = s.stamp(t('a')).seq!;
    const b1 = s.stamp(t('b')).seq!;
    expect(s.stamp(t('a')).seq).toBe(a1);
    s.touch('a');
    const a2 = s.stamp(t('a')).seq!;
    expect(a2).toBeGreaterThan(Math.max(a1, b1));
    // One change, one new seq: the snapshots after it are equal again.
    expect(s.stamp(t('a')).seq).toBe(a2);
    expect(s.stamp(t('b')).seq).toBe(b1);
  });

  it('a tunnel gone and back under the same id still counts up', () => {
    const s = new SnapshotStamps();
    s.stamp(t('a'));
    s.touch('a');
    const before = s.stamp(t('a')).seq!;
    s.forget('a');
    s.touch('a'); // its runtime stopping after it was removed
    expect(s.stamp(t('a')).seq).toBeGreaterThan(before);
  });
});
