import { describe, expect, it } from 'vitest';
import { proxyFor } from './proxy-env';

const u = (s: string) => new URL(s);

describe('proxyFor (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl and Go read them)', () => {
  it('takes the proxy for the scheme, lower-case names first, http:// when no scheme is written', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'plain:8080' };
    expect(proxyFor(u('https://api.border0.com/api/v1'), env)).toBe('http://lower:3128');
    expect(proxyFor(u('http://127.0.0.1:4000/api/v1'), env)).toBe('http://plain:8080');
    // Only HTTP_PROXY: https URLs go direct, as with curl and Go.
    expect(proxyFor(u('https://api.border0.com/'), { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyFor(u('https://api.border0.com/'), {})).toBeUndefined();
  });

  it('bypasses what NO_PROXY names: hosts and their subdomains, .domains, IPs, CIDRs, ports, *', () => {
    const at = (noProxy: string, url: string) => proxyFor(u(url), { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy });
    expect(at('border0.com', 'https://api.border0.com/')).toBeUndefined();
    expect(at('.border0.com', 'https://api.border0.com/')).toBeUndefined();
    expect(at('border0.com', 'https://notborder0.com/')).toBe('http://p:1');
    expect(at('127.0.0.1', 'http://127.0.0.1:4000/')).toBeUndefined();
    expect(at('127.0.0.0/8', 'http://127.3.2.1:4000/')).toBeUndefined();
    expect(at('10.0.0.0/8, example.org', 'http://127.0.0.1:4000/')).toBe('http://p:1');
    expect(at('127.0.0.1:4001', 'http://127.0.0.1:4000/')).toBe('http://p:1');
    expect(at('127.0.0.1:4000', 'http://127.0.0.1:4000/')).toBeUndefined();
    expect(at('::1', 'http://[::1]:4000/')).toBeUndefined();
    expect(at('*', 'https://api.border0.com/')).toBeUndefined();
    expect(proxyFor(u('https://api.border0.com/'), { HTTPS_PROXY: 'http://p:1', no_proxy: 'border0.com' })).toBeUndefined();
  });
});
