import { describe, expect, it } from 'vitest';
import { takePageToken, TOKEN_KEY } from './page-token';

/** One browser tab: its address bar, its history entry and its sessionStorage. */
function tab(href: string, stored?: string) {
  const t = {
    href,
    state: { from: 'app' } as unknown,
    storage: new Map<string, string>(stored === undefined ? [] : [[TOKEN_KEY, stored]]),
    replaced: [] as { state: unknown; url: string }[],
  };
  const loc = { get href() { return t.href; } };
  const hist = {
    get state() {
      return t.state;
    },
    replaceState(state: unknown, _unused: string, url?: string | URL | null) {
      t.replaced.push({ state, url: String(url) });
      t.href = new URL(String(url), t.href).href;
    },
  };
  const store = { getItem: (k: string) => t.storage.get(k) ?? null, setItem: (k: string, v: string) => void t.storage.set(k, v) };
  return { t, take: () => takePageToken(loc, hist, store) };
}

describe('the access token in the page address', () => {
  it('is taken out of the address bar (keeping the rest) and kept for this tab', () => {
    const { t, take } = tab('http://127.0.0.1:8080/?lab=x&token=s3cret-Token_1#logs');
    expect(take()).toBe('s3cret-Token_1');
    expect(t.href).toBe('http://127.0.0.1:8080/?lab=x#logs');
    expect(t.replaced).toEqual([{ state: { from: 'app' }, url: '/?lab=x#logs' }]);
    expect(t.storage.get(TOKEN_KEY)).toBe('s3cret-Token_1');
  });

  it('a reload of the tab (address without token) uses the kept one and leaves the address alone', () => {
    const { t, take } = tab('http://127.0.0.1:8080/', 'kept-token');
    expect(take()).toBe('kept-token');
    expect(t.replaced).toEqual([]);
  });

  it('a new address wins over the kept token (the host restarted with a new one)', () => {
    const { t, take } = tab('http://127.0.0.1:8080/?token=new-token', 'old-token');
    expect(take()).toBe('new-token');
    expect(t.storage.get(TOKEN_KEY)).toBe('new-token');
    expect(t.href).toBe('http://127.0.0.1:8080/');
  });

  it('a tab with neither has no token (the banner asks for the printed address)', () => {
    expect(tab('http://127.0.0.1:8080/').take()).toBeNull();
  });

  it('works when storage is refused: the token is used once, the address still cleaned', () => {
    const t = { href: 'http://127.0.0.1:8080/?token=abc' };
    const hist = { state: null, replaceState: (_s: unknown, _u: string, url?: string | URL | null) => void (t.href = new URL(String(url), t.href).href) };
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(takePageToken(t, hist, refusing)).toBe('abc');
    expect(t.href).toBe('http://127.0.0.1:8080/');
    expect(takePageToken(t, hist, refusing)).toBeNull();
  });
});
