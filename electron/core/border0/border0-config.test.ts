import { describe, expect, it } from 'vitest';
import { border0Config, checkProxyUrl, isLoopbackHost, tokenFromEnv } from './border0-config';

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

  it('reads the variables the border0 CLI reads', () => {
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

  it("reads the SDK's and containerlab's names too, the CLI's winning", () => {
    expect(border0Config({ BORDER0_BASE_URL: 'https://sdk.example/api/v1', BORDER0_PORTAL_BASE_URL: 'https://sdk-portal.example' })).toMatchObject({
      apiUrl: 'https://sdk.example/api/v1',
      portalUrl: 'https://sdk-portal.example',
    });
    expect(border0Config({ BORDER0_PORTAL: 'https://clab-portal.example' }).portalUrl).toBe('https://clab-portal.example');
    const all = border0Config({
      BORDER0_API: 'https://cli.example/api/v1',
      BORDER0_BASE_URL: 'https://sdk.example/api/v1',
      BORDER0_WEB_URL: 'https://cli-portal.example',
      BORDER0_PORTAL_BASE_URL: 'https://sdk-portal.example',
      BORDER0_PORTAL: 'https://clab-portal.example',
    });
    expect([all.apiUrl, all.portalUrl]).toEqual(['https://cli.example/api/v1', 'https://cli-portal.example']);
  });

  it('offers the token variables of containerlab and the SDK', () => {
    expect(tokenFromEnv({})).toBeUndefined();
    expect(tokenFromEnv({ BORDER0_AUTH_TOKEN: ' a.b.c ' })).toEqual({ token: 'a.b.c', from: 'BORDER0_AUTH_TOKEN' });
    expect(tokenFromEnv({ BORDER0_AUTH_TOKEN: 'x.y.z', BORDER0_ADMIN_TOKEN: 'a.b.c' })).toEqual({ token: 'a.b.c', from: 'BORDER0_ADMIN_TOKEN' });
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
    expect(() => border0Config({ BORDER0_API: 'api.border0.com' })).toThrow(/^BORDER0_API: the border0 API URL is not a URL/);
    expect(() => border0Config({ BORDER0_WEB_URL: 'ftp://x' })).toThrow(/^BORDER0_WEB_URL: the border0 portal URL must be an https URL/);
    expect(() => border0Config({ BORDER0_TUNNEL: 'host:99999' })).toThrow(/^BORDER0_TUNNEL: the tunnel server must be host\[:port\]/);
  });

  it('refuses plain http anywhere but loopback, where the token would travel unencrypted', () => {
    for (const url of ['http://api.example/api/v1', 'http://10.0.0.5/api/v1', 'http://[::2]/api/v1', 'http://128.0.0.1/', 'http://localhost.evil.example/']) {
      expect(() => border0Config({}, { apiUrl: url }), url).toThrow(expect.objectContaining({ code: 'invalid_params', field: 'apiUrl', message: expect.stringMatching(/must use https: .* unencrypted/) }));
    }
    expect(() => border0Config({ BORDER0_PORTAL: 'http://portal.example' })).toThrow(/^BORDER0_PORTAL: the border0 portal URL must use https/);
    for (const url of ['http://127.0.0.1:9/api/v1', 'http://127.200.3.4/x', 'http://localhost:80/x', 'http://[::1]:80/x', 'http://LOCALHOST/x']) {
      expect(border0Config({}, { apiUrl: url }).apiUrl, url).toBe(url.replace(/\/$/, ''));
    }
    expect(() => border0Config({}, { apiUrl: 'https://user:pw@api.example/' })).toThrow(/must not carry a user or password/);
  });

  it('knows loopback: 127.0.0.0/8, ::1 and localhost only', () => {
    expect(['127.0.0.1', '127.255.255.254', '::1', '[::1]', 'localhost', 'localhost.'].map(isLoopbackHost)).toEqual([true, true, true, true, true, true]);
    expect(['128.0.0.1', '10.0.0.1', '::2', 'localhost.example', '127.0.0.1.example', '0.0.0.0', '1270.0.0.1'].map(isLoopbackHost)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('checkProxyUrl', () => {
  it('takes http:// and https:// proxies, with a password only over TLS or on loopback', () => {
    expect(checkProxyUrl('http://proxy.example:3128')).toBe('http://proxy.example:3128');
    expect(checkProxyUrl('https://user:pw@proxy.example:3129')).toBe('https://user:pw@proxy.example:3129');
    expect(checkProxyUrl('http://user:pw@127.0.0.1:3128')).toBe('http://user:pw@127.0.0.1:3128');
    expect(() => checkProxyUrl('http://user:s3cret@proxy.example:3128')).toThrow(expect.objectContaining({ field: 'proxy', message: expect.stringContaining('would travel unencrypted to proxy.example:3128') }));
    expect(() => checkProxyUrl('socks5://proxy.example:1080')).toThrow(/must be an http:\/\/ or https:\/\/ URL/);
    // The password is never repeated in an error.
    expect(() => checkProxyUrl('http://user:s3cret@[bad')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});
