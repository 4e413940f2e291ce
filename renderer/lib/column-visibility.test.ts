import { describe, expect, it } from 'vitest';
import { loadVisibility, saveVisibility } from './column-visibility';

function storage(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('remembered column choice', () => {
  it('reads back what was saved, per table', () => {
    const s = storage();
    saveVisibility('tunnels', { socketId: false, dns: false, type: true }, s);
    expect(loadVisibility('tunnels', ['socketId', 'dns', 'type'], s)).toEqual({ socketId: false, dns: false, type: true });
    expect(loadVisibility('nodes', ['socketId'], s)).toEqual({});
  });

  it('drops what it cannot use: unknown or unhideable columns, non-booleans, broken text', () => {
    const s = storage({ 'clab-publisher.columns.tunnels': JSON.stringify({ actions: false, gone: false, dns: 'no', type: false }) });
    expect(loadVisibility('tunnels', ['dns', 'type'], s)).toEqual({ type: false });
    for (const raw of ['not json', '[false]', 'null', '42']) {
      expect(loadVisibility('tunnels', ['dns'], storage({ 'clab-publisher.columns.tunnels': raw }))).toEqual({});
    }
  });

  it('without storage (private mode, refused) everything is shown and nothing throws', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadVisibility('tunnels', ['dns'], refusing)).toEqual({});
    expect(() => saveVisibility('tunnels', { dns: false }, refusing)).not.toThrow();
    // No window at all (this test runs in Node): the same as storage refused.
    expect(loadVisibility('tunnels', ['dns'])).toEqual({});
  });
});
