/**
 * The IPC bridge between the built preload and the built main bundle, with a real core behind
 * it (temporary data folder, a Docker view with no labs) and the electron STAND-IN in between
 * (stand-in/world.ts): every contract method is handled, only our own page may call.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/contract';
import { bundlePaths, call, startApp, type RunningApp } from './load-bundle';

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const REFUSED = { ok: false, error: { code: 'refused', message: 'this call did not come from the clab-publisher window', hint: 'only the app page itself may call the core' } };

describe('the preload bundle', () => {
  it('requires nothing but electron (a sandboxed preload can have nothing else)', () => {
    const src = fs.readFileSync(bundlePaths().preload, 'utf8');
    const required = [...src.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes one function per contract method plus on/ready, and never ipcRenderer', async () => {
    running = await startApp();
    const win = await running.mainWindow();
    const exposed = running.loadPreload(win.webContents);
    expect(Object.keys(exposed)).toEqual(['clabPublisher']);
    const bridge = exposed.clabPublisher as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'on', 'ready'].sort());
    for (const k of Object.keys(bridge)) expect(typeof bridge[k], k).toBe('function');
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipcRenderer|invoke|send/);
  });
});

describe('the main side', () => {
  it('has exactly one handler per contract method', async () => {
    running = await startApp();
    await running.mainWindow();
    const rpc = [...running.e.ipcMain.handlers.keys()].filter((c) => c.startsWith('rpc:')).sort();
    expect(rpc).toEqual(METHOD_NAMES.map((m) => `rpc:${m}`).sort());
  });

  it('answers our page through the real core, with the contract schemas applied', async () => {
    running = await startApp();
    const page = await running.page();
    expect(await call(page, 'labs.list')).toEqual({ ok: true, result: [] });
    const providers = await call(page, 'providers.list');
    expect(providers.ok && (providers.result as { id: string }[]).map((p) => p.id)).toEqual(expect.arrayContaining(['local', 'ssh', 'border0']));
    const bad = await call(page, 'publications.add', { lab: 'x', node: 'y', port: 70000, type: 'tcp' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'port' } });
    const discover = await call(page, 'rpc.discover', {});
    expect(discover.ok && (discover.result as { events: string[] }).events).toEqual(EVENT_NAMES);
  });

  it('holds core events until the page listens, then delivers the newest, and again across a reload', async () => {
    running = await startApp();
    const page = await running.page();
    const wc = (await running.mainWindow()).webContents;
    const sentEvents = () => wc.sent.filter((m) => m.channel === 'event').map((m) => m.args[0]);
    const bindAddress = (payload: unknown) => (payload as { id: string; settings: { bindAddress?: string } }[]).find((p) => p.id === 'local')?.settings.bindAddress;

    expect((await call(page, 'providers.configure', { id: 'local', bindAddress: '127.0.0.2' })).ok).toBe(true);
    expect((await call(page, 'providers.configure', { id: 'local', bindAddress: '127.0.0.3' })).ok).toBe(true);
    expect(sentEvents()).toEqual([]); // nobody listens yet: held in the main process

    const seen: unknown[] = [];
    page.on('providers.changed', (p) => seen.push(p));
    await running.e.world.waitFor(() => seen.length > 0, 'the held providers.changed to reach the page');
    // `*.changed` are snapshots: only the newest was kept.
    expect(seen.map(bindAddress)).toEqual(['127.0.0.3']);

    // A reload drops the page's listeners: the main process holds events again until ready.
    wc.load('app://clab-publisher/index.html');
    const before = sentEvents().length;
    expect((await call(page, 'providers.configure', { id: 'local', bindAddress: '127.0.0.4' })).ok).toBe(true);
    expect(sentEvents().length).toBe(before);
    page.ready();
    await running.e.world.waitFor(() => seen.length > 1, 'the event held across the reload');
    expect(bindAddress(seen.at(-1))).toBe('127.0.0.4');
  });

  it('refuses every method from another window, an iframe, or a page our window was moved to', async () => {
    running = await startApp();
    const { e } = running;
    const win = await running.mainWindow();
    const wc = win.webContents;
    // The login window is a real second web contents of this app.
    const { BrowserWindow } = e.module as { BrowserWindow: new (o: object) => { webContents: typeof wc } };
    const other = new BrowserWindow({ webPreferences: { partition: 'login-test' } }).webContents;
    other.load('app://clab-publisher/index.html'); // even showing our URL

    const forged = [
      { sender: other, senderFrame: other.mainFrame },
      { sender: wc, senderFrame: wc.frame('app://clab-publisher/index.html') },
      { sender: wc, senderFrame: wc.frame('https://evil.example/') },
      { sender: wc, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: wc, senderFrame: null },
      { sender: { id: 999 }, senderFrame: { url: 'app://clab-publisher/index.html', parent: null } },
    ];
    for (const method of METHOD_NAMES) {
      for (const event of forged) expect(await e.ipcMain.invoke(`rpc:${method}`, event, {}), method).toEqual(REFUSED);
    }
    // A refused add changed nothing.
    const add = { lab: 'lab1', node: 'r1', port: 22, type: 'tcp' };
    expect(await e.ipcMain.invoke('rpc:publications.add', forged[0], add)).toEqual(REFUSED);
    expect(await e.ipcMain.invoke('rpc:publications.list', { sender: wc, senderFrame: wc.mainFrame }, {})).toEqual({ ok: true, result: [] });
    // The refusals are logged, but only the first few: a flood cannot fill the log.
    expect(running.logs.filter((l) => l.includes('[ipc] refused')).length).toBe(20);
  });

  it('stops answering once the window is closed, and removes its handlers', async () => {
    running = await startApp();
    const win = await running.mainWindow();
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    expect(await running.e.ipcMain.invoke('rpc:labs.list', event, {})).toEqual({ ok: true, result: [] });
    win.close();
    await expect(running.e.ipcMain.invoke('rpc:labs.list', event, {})).rejects.toThrow(/No handler registered/);
  });
});
