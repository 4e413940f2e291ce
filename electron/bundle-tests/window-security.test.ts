/**
 * The built main bundle, loaded with the electron STAND-IN (stand-in/world.ts says why and
 * what it can and cannot prove): the window's web preferences, the app:// origin and its CSP,
 * navigation, pop-ups, webviews, permissions and downloads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCsp } from '../../shared/csp';
import { bundlePaths, startApp, type RunningApp } from './load-bundle';

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const PAGE = 'app://clab-publisher/index.html';

describe('the main window', () => {
  it('has the security checklist in its web preferences and loads the UI from app://, not file://', async () => {
    running = await startApp();
    const { e } = running;
    const win = await running.mainWindow();
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: bundlePaths().preload,
    });
    expect(fs.existsSync(win.options.webPreferences!.preload as string)).toBe(true);
    // Every renderer sandboxed, decided before `ready`; one instance per data folder.
    expect(e.app.sandboxEnabled).toBe(true);
    expect(e.world.called('app.requestSingleInstanceLock')).toHaveLength(1);
    expect(win.webContents.getURL()).toBe(PAGE);
    expect(e.world.called('webContents.loaded').every(([, url]) => !String(url).startsWith('file:'))).toBe(true);
    await e.world.waitFor(() => win.isVisible(), 'the window to show once ready');
  });

  it('keeps developer tools only in an unpackaged app', async () => {
    running = await startApp({ isPackaged: false });
    expect((await running.mainWindow()).options.webPreferences!.devTools).toBe(true);
    await running.stop();
    running = await startApp({ isPackaged: true });
    expect((await running.mainWindow()).options.webPreferences!.devTools).toBe(false);
  });
});

describe('the app:// origin', () => {
  it('is a privileged standard, secure scheme registered before ready, without CSP bypass or CORS', async () => {
    running = await startApp();
    await running.mainWindow();
    const [[schemes]] = running.e.world.called('protocol.registerSchemesAsPrivileged') as [[{ scheme: string; privileges: Record<string, boolean> }[]]];
    expect(schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const order = running.e.world.calls.map((c) => c.what);
    expect(order.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('protocol.handle'));
  });

  it('serves the built renderer, every script and stylesheet with its type and the CSP', async () => {
    running = await startApp();
    await running.mainWindow();
    const { protocol } = running.e;
    const page = await protocol.fetch(PAGE);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(buildCsp());
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const a of assets) {
      const res = await protocol.fetch(`app://clab-publisher/${a}`);
      expect(res.status, a).toBe(200);
      const type = res.headers.get('content-type');
      if (a.endsWith('.js')) expect(type, a).toBe('text/javascript; charset=utf-8');
      if (a.endsWith('.css')) expect(type, a).toBe('text/css; charset=utf-8');
    }
  });

  it('never serves what lies next to the UI folder (main.js, the stand-in)', async () => {
    running = await startApp();
    await running.mainWindow();
    // renderer/main_window/../../build/main.js is the main bundle itself.
    for (const url of ['app://clab-publisher/..%2f..%2fbuild%2fmain.js', 'app://clab-publisher/%2e%2e/%2e%2e/build/main.js', 'app://clab-publisher/../../node_modules/electron/index.js']) {
      const res = await running.e.protocol.fetch(url);
      expect(res.status, url).not.toBe(200);
      expect(await res.text()).not.toContain('require(');
    }
    expect((await running.e.protocol.fetch('app://evil-host/index.html')).status).toBe(404);
  });

  it('replaces any CSP a response brings with ours', async () => {
    running = await startApp();
    await running.mainWindow();
    const headers = await running.e.defaultSession.responseHeaders(PAGE, { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'x-other': ['kept'] });
    expect(headers['Content-Security-Policy']).toEqual([buildCsp()]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['x-other']).toEqual(['kept']);
  });
});

describe('navigation, pop-ups and webviews', () => {
  it('keeps the window on our page and hands web links to the browser, nothing else', async () => {
    running = await startApp();
    const { e } = running;
    const wc = (await running.mainWindow()).webContents;
    expect(wc.userNavigates('app://clab-publisher/index.html#/logs')).toBe(true);
    expect(wc.userNavigates('https://border0.com/docs')).toBe(false);
    expect(wc.userNavigates('file:///etc/passwd')).toBe(false);
    expect(wc.userNavigates('javascript:alert(1)')).toBe(false);
    expect(e.world.called('shell.openExternal')).toEqual([['https://border0.com/docs']]);
    expect(wc.getURL()).toBe('app://clab-publisher/index.html#/logs');
    expect(wc.redirects('https://evil.example/')).toBe(false);
    expect(wc.userOpensWindow('https://containerlab.dev/')).toEqual({ action: 'deny' });
    expect(wc.userOpensWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(wc.userOpensWindow('app://clab-publisher/index.html')).toEqual({ action: 'deny' });
    expect(e.world.called('shell.openExternal')).toEqual([['https://border0.com/docs'], ['https://containerlab.dev/']]);
    expect(wc.attachesWebview('https://evil.example/')).toBe(false);
    expect(e.windows()).toHaveLength(1);
  });
});

describe('permissions', () => {
  it('grants only clipboard writes and notifications, only to our page and its own frames', async () => {
    running = await startApp();
    const ses = running.e.defaultSession;
    const wc = (await running.mainWindow()).webContents;
    expect(await ses.requestPermission(wc, 'notifications')).toBe(true);
    expect(await ses.requestPermission(wc, 'clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) expect(await ses.requestPermission(wc, p), p).toBe(false);
    // An iframe of another origin inside our page asks: no.
    expect(await ses.requestPermission(wc, 'notifications', 'https://evil.example/frame.html')).toBe(false);
    expect(ses.checkPermission(wc, 'notifications', 'app://clab-publisher')).toBe(true);
    expect(ses.checkPermission(wc, 'notifications', 'https://evil.example')).toBe(false);
    expect(ses.checkPermission(null, 'notifications', 'app://clab-publisher')).toBe(false);
    wc.userNavigates('app://clab-publisher/index.html');
    wc.load('https://evil.example/'); // the page somehow moved on
    expect(await ses.requestPermission(wc, 'notifications')).toBe(false);
  });
});

describe('downloads', () => {
  it("saves our page's own log export through a save dialog in Downloads, and nothing else", async () => {
    running = await startApp();
    const { e } = running;
    const ses = e.defaultSession;
    const wc = (await running.mainWindow()).webContents;
    const ok = ses.download(wc, 'blob:app://clab-publisher/6c1b4a53-3f7e-4d7e-9a51-1f1c2d3e4f50', 'clab-publisher-logs.txt');
    expect(ok.allowed).toBe(true);
    expect(ok.item.saveDialogOptions).toMatchObject({ defaultPath: path.join(running.dataDir, 'Downloads', 'clab-publisher-logs.txt') });
    // A hostile name cannot pick the folder.
    const sneaky = ses.download(wc, 'blob:app://clab-publisher/1', '../../.bashrc');
    expect(sneaky.item.saveDialogOptions).toMatchObject({ defaultPath: path.join(running.dataDir, 'Downloads', '.bashrc') });

    expect(ses.download(wc, 'https://evil.example/payload.exe', 'payload.exe').allowed).toBe(false);
    expect(ses.download(wc, 'blob:https://evil.example/1', 'x.txt').allowed).toBe(false);
    expect(ses.download(wc, 'data:text/plain,hi', 'x.txt').allowed).toBe(false);
    expect(ses.download(undefined, 'blob:app://clab-publisher/2', 'x.txt').allowed).toBe(false);
    wc.load('https://evil.example/');
    expect(ses.download(wc, 'blob:app://clab-publisher/3', 'x.txt').allowed).toBe(false);
    expect(running.logs.filter((l) => l.includes('[downloads] refused'))).toHaveLength(5);
  });
});
