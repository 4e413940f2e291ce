import { describe, expect, it } from 'vitest';
import { border0Config } from './border0-config';

describe('border0Config', () => {
  it('defaults to the public service', () => {
    expect(border0Config({})).toEqual({
      apiUrl: 'https://api.border0.com/api/v1',
      portalUrl: 'https://portal.border0.com',
      tunnelServer: { host: 'tunnel.border0.com', port: 22 },
      legacyApiUrl: 'https://api.mysocket.io',
      authHeader: 'x-access-token',
    });
  });

  it('reads the variables the border0 clients read', () => {
    const c = border0Config({
      BORDER0_API: 'http://127.0.0.1:4000/api/v1/',
      BORDER0_WEB_URL: 'http://127.0.0.1:4000/portal',
      BORDER0_TUNNEL: '127.0.0.1:2222',
      MYSOCKET_API: 'http://127.0.0.1:4001',
    });
    expect(c).toMatchObject({
      apiUrl: 'http://127.0.0.1:4000/api/v1',
      portalUrl: 'http://127.0.0.1:4000/portal',
      tunnelServer: { host: '127.0.0.1', port: 2222 },
      legacyApiUrl: 'http://127.0.0.1:4001',
    });
  });

  it('takes port 22 when the tunnel has none, and bracketed IPv6', () => {
    expect(border0Config({ BORDER0_TUNNEL: 'relay.example' }).tunnelServer).toEqual({ host: 'relay.example', port: 22 });
    expect(border0Config({ BORDER0_TUNNEL: '[::1]:2200' }).tunnelServer).toEqual({ host: '::1', port: 2200 });
  });

  it('lets explicit overrides win over the environment; empty variables count as unset', () => {
    const c = border0Config(
      { BORDER0_API: 'https://env.example/api/v1', BORDER0_WEB_URL: '  ' },
      { apiUrl: 'https://set.example/api/v1', tunnelServer: { host: 'h', port: 1 }, authHeader: 'bearer' },
    );
    expect(c.apiUrl).toBe('https://set.example/api/v1');
    expect(c.portalUrl).toBe('https://portal.border0.com');
    expect(c.tunnelServer).toEqual({ host: 'h', port: 1 });
    expect(c.authHeader).toBe('bearer');
  });

  it('names the variable that holds a bad value', () => {
    expect(() => border0Config({ BORDER0_API: 'api.border0.com' })).toThrow(/BORDER0_API is not a URL/);
    expect(() => border0Config({ BORDER0_WEB_URL: 'ftp://x' })).toThrow(/BORDER0_WEB_URL must be an http\(s\) URL/);
    expect(() => border0Config({ BORDER0_TUNNEL: 'host:99999' })).toThrow(/BORDER0_TUNNEL must be host\[:port\]/);
  });
});
