/**
 * providers.configure for border0: a URL the token would travel to unencrypted is refused
 * with nothing changed; moving the API or portal signs the account out first, so the token
 * never follows; other settings leave the login alone.
 */
import { describe, expect, it } from 'vitest';
import { providerBed } from './provider-test-helpers';

const bed = providerBed('border0-configure-test-');

describe('border0 settings changes', () => {
  it('refuses http:// to another host, keeps everything as it was', async () => {
    const { provider, account } = bed.border0;
    const before = provider.info().settings;
    await expect(provider.configure({ apiUrl: 'http://api.example.net/api/v1' })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid_params', field: 'apiUrl', message: 'the border0 settings: the border0 API URL must use https: http://api.example.net would carry the border0 token unencrypted' }),
    );
    await expect(provider.configure({ proxy: 'http://user:pw@proxy.example.net:3128' })).rejects.toThrow(expect.objectContaining({ field: 'proxy' }));
    expect(provider.info().settings).toEqual(before);
    expect(account.info().loggedIn).toBe(true);
  });

  it('limits and the proxy leave the login alone; a new API URL signs out first and gets no token', async () => {
    const { provider, account } = bed.border0;
    await provider.configure({ limitTcp: 7, proxy: '' });
    expect(account.info().loggedIn).toBe(true);
    // The same URL written out again is no change.
    await provider.configure({ apiUrl: bed.standin.apiUrl });
    expect(account.info().loggedIn).toBe(true);

    const from = bed.standin.requests.length;
    await provider.configure({ apiUrl: `${bed.standin.url}/elsewhere/api/v1` });
    expect(account.info()).toMatchObject({ loggedIn: false, error: expect.stringContaining('signed out of border0') });
    expect(provider.info().settings.apiUrl).toBe(`${bed.standin.url}/elsewhere/api/v1`);
    await expect(account.api.listSockets()).rejects.toThrow(/not logged in/);
    expect(bed.standin.requests.slice(from).filter((r) => r.headers['x-access-token'])).toEqual([]);
  });
});
