import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, startBorder0Standin, type Standin } from '../../../../test-support/border0-standin';
import { Border0Api } from '../api/api-client';
import { LogStore } from '../../logs/log-store';
import { KeyFileCipher } from '../../secrets/secret-cipher';
import { SecretStore } from '../../secrets/secret-store';
import { Border0Account } from './border0-account';

// The account against the border0 stand-in (docs/border0.md): logins, import, export,
// logout; the token stays in the secret store and never reaches info() or the logs.
describe('Border0Account', () => {
  let dir: string;
  let standin: Standin;
  let logs: LogStore;
  /** The URLs in force, as the settings and environment would give them. */
  let endpoints: { apiUrl: string; portalUrl: string };
  const make = (env: NodeJS.ProcessEnv = {}) => {
    const secrets = new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') });
    const a = new Border0Account({
      secrets,
      env,
      log: logs.logger('account'),
      endpoints: () => endpoints,
      api: (getToken) => new Border0Api({ baseUrl: () => endpoints.apiUrl, authHeader: 'x-access-token', getToken, log: logs.logger('api') }),
      labTokenFiles: () => [{ path: path.join(dir, 'lab', '.mysocketio_token'), origin: 'lab x, node helper (kind mysocketio)' }],
    });
    a.start();
    return a;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acct-'));
    const ca = await makeCa(dir);
    standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: '127.0.0.1', port: 22 }, hostKeyPub: fs.readFileSync(ca.caPubPath, 'utf8') });
    endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
  });
  afterAll(async () => {
    await standin?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with email, password and MFA, survives a restart, and logs out', async () => {
    logs = new LogStore();
    standin.setRequireMfa(true);
    const a = make();
    expect(await a.passwordLogin(standin.email, standin.password)).toEqual({ mfaRequired: true });
    expect(a.info().login).toEqual({ method: 'password', mfaRequired: true });
    await expect(a.mfa('000000')).rejects.toThrow(/MFA code was not accepted/);
    await a.mfa(standin.mfaCode);
    expect(a.info()).toMatchObject({ loggedIn: true, user: { email: standin.email, userId: standin.userId }, expired: false });
    const token = a.requireToken();
    expect(JSON.stringify(a.info())).not.toContain(token);
    expect(JSON.stringify(logs.query({ limit: 1000 }))).not.toContain(token);
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).not.toContain(token);
    expect(make().info().loggedIn).toBe(true);
    a.logout();
    expect(make().info().loggedIn).toBe(false);
    standin.setRequireMfa(false);
  });

  it('imports BORDER0_AUTH_TOKEN (the SDK\'s name) when BORDER0_ADMIN_TOKEN is not set, and says which', async () => {
    logs = new LogStore();
    expect(await make({ BORDER0_AUTH_TOKEN: standin.issueToken() }).importToken({ env: true })).toMatchObject({ loggedIn: true, tokenSource: 'BORDER0_AUTH_TOKEN' });
    await expect(make({}).importToken({ env: true })).rejects.toThrow('neither BORDER0_ADMIN_TOKEN nor BORDER0_AUTH_TOKEN is set for the app');
  });

  it('imports from a helper node\'s token file and from BORDER0_ADMIN_TOKEN; exports only to known names', async () => {
    logs = new LogStore();
    const a = make({ BORDER0_ADMIN_TOKEN: standin.issueToken({ serviceAccount: true }) });
    const file = path.join(dir, 'lab', '.mysocketio_token');
    expect(a.candidates().find((c) => c.path === file)).toMatchObject({ exists: false, origin: expect.stringContaining('mysocketio') });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, standin.issueToken({ expInSeconds: 3600 }) + '\n');
    expect(await a.importToken({ path: file })).toMatchObject({ loggedIn: true, tokenSource: file });
    await expect(a.importToken({ path: path.join(dir, 'nope') })).rejects.toThrow(/cannot read/);
    expect(await a.importToken({ env: true })).toMatchObject({ loggedIn: true, tokenSource: 'BORDER0_ADMIN_TOKEN' });
    const out = a.exportToken(path.join(dir, 'lab2', '.border0_token'));
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(() => a.exportToken(path.join(dir, 'evil.txt'))).toThrow(/refusing to write a token/);
  });

  it('imports only a small regular file: a FIFO, a device or a folder is refused at once', async () => {
    logs = new LogStore();
    const a = make();
    const before = a.info();
    const fifo = path.join(dir, 'token-fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(a.importToken({ path: fifo })).rejects.toMatchObject({ code: 'invalid_params', message: `${fifo} is a FIFO (named pipe), not a regular file: a token file is a small text file` });
    await expect(a.importToken({ path: '/dev/zero' })).rejects.toMatchObject({ message: '/dev/zero is a device, not a regular file: a token file is a small text file' });
    await expect(a.importToken({ path: dir })).rejects.toMatchObject({ message: `${dir} is a folder, not a regular file: a token file is a small text file` });
    const big = path.join(dir, 'big-token');
    fs.writeFileSync(big, 'x'.repeat(100 * 1024));
    await expect(a.importToken({ path: big })).rejects.toMatchObject({ message: `${big} is larger than 65536 bytes: a token file is a small text file` });
    expect(a.info()).toEqual(before);
  });

  it('counts a token as expired 10 s early, warns within 15 minutes, and refuses new work', async () => {
    logs = new LogStore();
    const a = make();
    const file = path.join(dir, '.border0_token');
    fs.writeFileSync(file, standin.issueToken({ expInSeconds: 600 }));
    expect(await a.importToken({ path: file })).toMatchObject({ loggedIn: true, expiresSoon: true });
    fs.writeFileSync(file, standin.issueToken({ expInSeconds: 5 }));
    expect(await a.importToken({ path: file })).toMatchObject({ loggedIn: false, expired: true });
    expect(() => a.requireToken()).toThrow(/expired: running tunnels keep working/);
    // The service answers 401 to an expired token: that is still the expiry, not a rejection.
    a.markRejected();
    expect(a.info()).toMatchObject({ expired: true, rejected: undefined });
    expect(logs.query({ limit: 1000 }).map((e) => e.message)).toContain('the border0 login expired (the service answers 401): log in again; running tunnels keep working');
    // A token still valid by its date that gets a 401 is a rejection.
    fs.writeFileSync(file, standin.issueToken({ expInSeconds: 3600 }));
    await a.importToken({ path: file });
    a.markRejected();
    expect(a.info()).toMatchObject({ expired: false, rejected: true, loggedIn: false });
  });

  describe('the token only ever goes where it came from', () => {
    const elsewhere = () => ({ apiUrl: standin.apiUrl.replace('/api/v1', '/other/api/v1'), portalUrl: standin.portalUrl });
    const tokenRequestsTo = (prefix: string, from: number) => standin.requests.slice(from).filter((r) => r.path.startsWith(prefix) && r.headers['x-access-token']);

    it('signs out when the API or portal URL is about to change, and not when it stays', async () => {
      logs = new LogStore();
      endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
      const a = make();
      await a.importToken({ env: false, path: writeToken(standin.issueToken()) });
      a.endpointsChanging({ ...endpoints });
      expect(a.info().loggedIn).toBe(true);
      a.endpointsChanging({ apiUrl: endpoints.apiUrl, portalUrl: `${standin.url}/other-portal` });
      expect(a.info()).toMatchObject({ loggedIn: false, error: expect.stringContaining('signed out of border0') });
      expect(make().info().loggedIn).toBe(false); // gone from the secret store too
    });

    it('a browser login under way survives a settings change that keeps the URLs, and ends with one that moves them', async () => {
      logs = new LogStore();
      endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
      const a = make();
      a.logout();
      const started = a.startBrowserLogin();
      await started;
      a.endpointsChanging({ ...endpoints });
      expect(a.info().login).toMatchObject({ method: 'browser' });
      a.endpointsChanging({ ...endpoints, portalUrl: `${standin.url}/other-portal` });
      expect(a.info().login).toBeUndefined();
    });

    it('after a restart with another API URL (settings or environment), the stored token is dropped, never sent', async () => {
      logs = new LogStore();
      endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
      await make().importToken({ path: writeToken(standin.issueToken()) });
      endpoints = elsewhere();
      const from = standin.requests.length;
      const b = make();
      expect(b.info()).toMatchObject({ loggedIn: false, error: expect.stringContaining(`issued through ${standin.apiUrl}`) });
      await expect(b.api.listSockets()).rejects.toThrow(/not logged in/);
      expect(tokenRequestsTo('/other/', from)).toEqual([]);
      expect(JSON.stringify(logs.query({ limit: 1000 }))).toContain('signed out of border0');
      endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
    });

    it('a URL that changes without the account being told still gets no token', async () => {
      logs = new LogStore();
      endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
      const a = make();
      await a.importToken({ path: writeToken(standin.issueToken()) });
      endpoints = elsewhere();
      const from = standin.requests.length;
      await expect(a.api.listSockets()).rejects.toThrow(/not logged in/);
      expect(tokenRequestsTo('/other/', from)).toEqual([]);
      endpoints = { apiUrl: standin.apiUrl, portalUrl: standin.portalUrl };
      expect((await a.api.listSockets()).length).toBeGreaterThanOrEqual(0);
    });

    const writeToken = (token: string) => {
      const file = path.join(dir, '.border0_token');
      fs.writeFileSync(file, token);
      return file;
    };
  });
});
