/**
 * The border0 browser login on the desktop: the built main bundle with the electron STAND-IN
 * (stand-in/world.ts), a real core, and the local border0 stand-in (API and portal on
 * 127.0.0.1). The login window is its own session, has no bridge to the core, and closes by
 * itself once the core has the token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountInfo } from '../../shared/account-model';
import { makeCa, startBorder0Standin, type Standin } from '../../test-support/border0-standin';
import { bundlePaths, call, startApp, type RunningApp } from './load-bundle';
import type { StandInBrowserWindow } from './stand-in';

let standin: Standin;
let running: RunningApp | undefined;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(bundlePaths().dir, 'border0-'));
  const ca = await makeCa(dir);
  const hostKey = await makeCa(dir, 'tunnel_host_ed25519');
  standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: '127.0.0.1', port: 2222 }, hostKeyPub: hostKey.caPub });
});
afterAll(async () => standin?.close());
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const env = () => ({ BORDER0_API: standin.apiUrl, BORDER0_WEB_URL: standin.portalUrl });

async function startLogin(): Promise<{ main: StandInBrowserWindow; login: StandInBrowserWindow; url: string }> {
  running = await startApp({ env: env() });
  const { e } = running;
  const page = await running.page();
  const main = await running.mainWindow();
  const started = await call(page, 'accounts.login', { provider: 'border0' });
  expect(started.ok).toBe(true);
  const url = (started as { result: { url: string } }).result.url;
  const login = await e.world.waitFor(() => e.windows().find((w) => w !== main), 'the login window');
  return { main, login, url };
}

describe('the login window', () => {
  it('opens the portal in a session of its own, without preload, with the secure preferences, nothing allowed', async () => {
    const { main, login, url } = await startLogin();
    const { e } = running!;
    expect(url.startsWith(standin.portalUrl)).toBe(true);
    expect(login.webContents.getURL()).toBe(url);
    expect(login.options.parent).toBe(main);
    const prefs = login.options.webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(prefs.preload).toBeUndefined();
    expect(prefs.partition).toMatch(/^login-tmp-[0-9a-f]{12}$/);
    const ses = login.webContents.session;
    expect(ses).not.toBe(e.defaultSession);
    expect(ses.partition).toBe(prefs.partition);

    // Nothing for the identity provider's pages: no permission, no download, no IPC.
    expect(await ses.requestPermission(login.webContents, 'notifications')).toBe(false);
    expect(ses.checkPermission(login.webContents, 'clipboard-sanitized-write', standin.url)).toBe(false);
    expect(ses.download(login.webContents, `${standin.url}/file.exe`, 'file.exe').allowed).toBe(false);
    const refused = await e.ipcMain.invoke('rpc:accounts.list', { sender: login.webContents, senderFrame: login.webContents.mainFrame }, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused' } });
    // It may follow the identity provider over https and loopback, never file: or plain http elsewhere.
    expect(login.webContents.userNavigates('https://accounts.google.com/o/oauth2/auth')).toBe(true);
    expect(login.webContents.userNavigates('http://evil.example/')).toBe(false);
    expect(login.webContents.userNavigates('file:///etc/passwd')).toBe(false);
  });

  it('closes by itself once the login succeeds, and the account is logged in', async () => {
    const { login } = await startLogin();
    const { e } = running!;
    standin.authorizeDevice();
    await e.world.waitFor(() => login.isDestroyed(), 'the login window to close after success', 20_000);
    const page = await running!.page();
    const accounts = await call(page, 'accounts.list', {});
    expect(accounts.ok && (accounts.result as AccountInfo[])[0]).toMatchObject({ provider: 'border0', loggedIn: true });
    // The token went to the secret store through safeStorage, never to the page.
    expect(e.world.called('safeStorage.encryptString').some(([plain]) => String(plain).split('.').length === 3)).toBe(true);
    expect(JSON.stringify(accounts)).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('closed by hand, cancels the login', async () => {
    const { login } = await startLogin();
    const page = await running!.page();
    let latest: AccountInfo[] | undefined;
    page.on('accounts.changed', (a) => (latest = a as AccountInfo[]));
    await running!.e.world.waitFor(() => latest?.[0]?.login, 'the page to see the login in progress');
    login.close();
    await running!.e.world.waitFor(() => latest && !latest[0].login, 'the core to cancel the login');
    expect(latest![0]).toMatchObject({ provider: 'border0', loggedIn: false });
    expect(await call(page, 'accounts.list', {})).toMatchObject({ ok: true, result: [{ loggedIn: false }] });
  });
});
