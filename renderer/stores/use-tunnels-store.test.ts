import { describe, expect, it } from 'vitest';
import type { Tunnel } from '../../shared/model';
import { tunnelNames } from './use-tunnels-store';

const t = (id: string, name: string, total = 0) => ({ id, name, counters: { open: 0, total, bytesIn: 0, bytesOut: 0 } }) as Tunnel;

describe('tunnelNames', () => {
  it('stays the same Map while only counters move, and changes when a tunnel comes, goes or is renamed', () => {
    const a = tunnelNames([t('1', 'one'), t('2', 'two')]);
    expect([...a]).toEqual([['1', 'one'], ['2', 'two']]);
    expect(tunnelNames([t('1', 'one', 5), t('2', 'two', 9)])).toBe(a);
    const renamed = tunnelNames([t('1', 'uno'), t('2', 'two')]);
    expect(renamed).not.toBe(a);
    expect(renamed.get('1')).toBe('uno');
    expect([...tunnelNames([t('2', 'two')]).keys()]).toEqual(['2']);
  });
});
