/**
 * What desktop users expect, on the built main bundle with the electron STAND-IN
 * (stand-in/world.ts): one instance, the tray's quick actions, the application menu and its
 * shortcuts, open at login, start hidden, the window's place across starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundlePaths, startApp, type RunningApp } from './load-bundle';
import type { StandInMenu } from './stand-in';

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const roles = (menu: StandInMenu, label: string) => (menu.find(label)?.submenu ?? []).map((i) => i.role ?? i.id ?? i.type);

describe('single instance', () => {
  it('a second instance quits at once: no window, no core, nothing written to the data folder', async () => {
    running = await startApp({ singleInstance: false });
    const { e } = running;
    expect(e.world.called('app.quit')).toHaveLength(1);
    // Even after `ready`, it opens nothing.
    await new Promise((r) => setImmediate(r));
    expect(e.windows()).toHaveLength(0);
    expect(e.trays).toHaveLength(0);
    expect(fs.readdirSync(running.dataDir)).toEqual([]);
    expect(e.app.sandboxEnabled).toBe(false);
  });

  it('the running instance comes to the front when a second one starts', async () => {
    running = await startApp();
    const { e } = running;
    const win = await running.mainWindow();
    await e.world.waitFor(() => win.isVisible(), 'the window to show');
    win.minimize();
    e.app.emit('second-instance', {}, ['clab-publisher'], process.cwd(), {});
    expect(win.isVisible()).toBe(true);
    expect(e.world.called('BrowserWindow.restore')).toHaveLength(1);
    expect(e.world.called('BrowserWindow.focus').length).toBeGreaterThan(0);
    win.hide();
    e.app.emit('second-instance', {}, [], process.cwd(), {});
    expect(win.isVisible()).toBe(true);
  });
});

describe('the tray', () => {
  it('offers show or hide, the logs folder and quit; no way to stop every tunnel from there', async () => {
    running = await startApp();
    const { e } = running;
    const win = await running.mainWindow();
    const tray = await e.world.waitFor(() => e.trays[0], 'the tray');
    await e.world.waitFor(() => win.isVisible() && tray.menu?.find('hide'), 'the tray to offer Hide once the window shows');
    const ids = tray.menu!.items.map((i) => i.id ?? i.type);
    expect(ids).toEqual(['summary', 'separator', 'hide', 'logs', 'open-at-login', 'separator', 'quit']);
    expect(JSON.stringify(tray.menu!.items.map((i) => i.label))).not.toMatch(/stop/i);
    expect(tray.menu!.find('summary')).toMatchObject({ label: 'No tunnels', enabled: false });

    tray.menu!.find('hide')!.click!();
    expect(win.isVisible()).toBe(false);
    expect(tray.menu!.find('show')).toBeDefined();
    tray.emit('click'); // Linux/Windows: a click on the icon shows the window
    expect(win.isVisible()).toBe(true);

    tray.menu!.find('logs')!.click!();
    await e.world.waitFor(() => e.world.called('shell.openPath').length, 'the logs folder to open');
    expect(e.world.called('shell.openPath')).toEqual([[path.join(running.dataDir, 'logs')]]);

    tray.menu!.find('quit')!.click!();
    await e.world.waitFor(() => e.app.quitted, 'quit from the tray to finish its clean-up');
    expect(tray.isDestroyed()).toBe(true);
  });

  it('a closed window (macOS keeps running) is made anew by Show', async () => {
    running = await startApp();
    const { e } = running;
    const first = await running.mainWindow();
    const tray = await e.world.waitFor(() => e.trays[0], 'the tray');
    // As on macOS: closing the last window does not quit.
    e.app.removeAllListeners('window-all-closed');
    e.app.on('window-all-closed', () => undefined);
    first.close();
    await e.world.waitFor(() => tray.menu?.find('show'), 'the tray to offer Show');
    tray.menu!.find('show')!.click!();
    const second = await e.world.waitFor(() => e.windows()[0], 'a new main window');
    expect(second).not.toBe(first);
    expect(second.isVisible()).toBe(true);
    expect(second.webContents.getURL()).toBe('app://clab-publisher/index.html');
  });
});

describe('the application menu', () => {
  it('has the usual roles and shortcuts, devtools only unpackaged, help that opens the README', async () => {
    running = await startApp({ isPackaged: false });
    const { e } = running;
    await running.mainWindow();
    const menu = await e.world.waitFor(() => e.applicationMenu(), 'the application menu');
    expect(menu.items.map((i) => i.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(roles(menu, '&Edit')).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'separator', 'selectAll']);
    expect(roles(menu, '&View')).toEqual(['reload', 'forceReload', 'toggleDevTools', 'separator', 'resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
    expect(roles(menu, '&Window')).toEqual(['minimize', 'close']);
    expect(roles(menu, '&File')).toEqual(['open-logs', 'open-data', 'separator', 'open-at-login', 'separator', 'quit']);
    menu.find('readme')!.click!();
    menu.find('containerlab-docs')!.click!();
    menu.find('open-data')!.click!();
    await e.world.waitFor(() => e.world.called('shell.openPath').length === 2 && e.world.called('shell.openExternal').length === 1, 'the help actions');
    expect(e.world.called('shell.openPath')).toEqual([[path.resolve(__dirname, '../../README.md')], [running.dataDir]]);
    expect(e.world.called('shell.openExternal')).toEqual([['https://containerlab.dev/']]);
  });

  it('has no developer tools when packaged, and opens the README shipped in resources', async () => {
    running = await startApp({ isPackaged: true });
    const { e } = running;
    const menu = await e.world.waitFor(() => e.applicationMenu(), 'the application menu');
    expect(JSON.stringify(menu.items)).not.toContain('toggleDevTools');
    menu.find('readme')!.click!();
    await e.world.waitFor(() => e.world.called('shell.openPath').length, 'the README to open');
    expect(e.world.called('shell.openPath')).toEqual([[path.join(process.resourcesPath, 'README.md')]]);
  });
});

describe('open at login (Linux: an XDG autostart entry)', () => {
  it('the tray and menu checkbox write and remove the entry, which starts the app hidden', async () => {
    const config = fs.mkdtempSync(path.join(bundlePaths().dir, 'xdg-'));
    running = await startApp({ env: { XDG_CONFIG_HOME: config } });
    const { e } = running;
    const tray = await e.world.waitFor(() => e.trays[0]?.menu && e.trays[0], 'the tray');
    const entry = path.join(config, 'autostart', 'clab-publisher.desktop');
    expect(tray.menu!.find('open-at-login')).toMatchObject({ type: 'checkbox', checked: false });

    tray.menu!.find('open-at-login')!.click!();
    await e.world.waitFor(() => e.applicationMenu()?.find('open-at-login')?.checked && tray.menu?.find('open-at-login')?.checked, 'both menus to show it checked');
    const text = fs.readFileSync(entry, 'utf8');
    // Not packaged: the Electron binary with the app folder, then --hidden.
    expect(text).toContain(`Exec=${process.execPath} ${path.resolve(__dirname, '../..')} --hidden\n`);

    e.applicationMenu()!.find('open-at-login')!.click!();
    await e.world.waitFor(() => !fs.existsSync(entry) && tray.menu?.find('open-at-login')?.checked === false, 'the entry to be removed');
  });

  it('started with --hidden (at login), the window stays in the tray until asked for', async () => {
    running = await startApp({ argv: ['--hidden'] });
    const { e } = running;
    const win = await running.mainWindow();
    const tray = await e.world.waitFor(() => e.trays[0]?.menu && e.trays[0], 'the tray');
    await e.world.waitFor(() => e.world.called('BrowserWindow.ready-to-show').length, 'the window to be ready to show');
    expect(win.isVisible()).toBe(false);
    expect(e.world.called('BrowserWindow.show')).toEqual([]);
    tray.menu!.find('show')!.click!();
    expect(win.isVisible()).toBe(true);
  });
});

describe("the window's place", () => {
  it('is restored maximized, and moved onto a display that is still there', async () => {
    const dataDir = fs.mkdtempSync(path.join(bundlePaths().dir, 'data-'));
    fs.writeFileSync(path.join(dataDir, 'window-state.json'), JSON.stringify({ bounds: { x: 2500, y: 200, width: 1600, height: 900 }, maximized: true }));
    const twoScreens = [
      { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1050 } },
      { id: 2, bounds: { x: 1920, y: 0, width: 2560, height: 1440 }, workArea: { x: 1920, y: 0, width: 2560, height: 1400 } },
    ];
    running = await startApp({ userData: dataDir, displays: twoScreens });
    let win = await running.mainWindow();
    expect(win.options).toMatchObject({ x: 2500, y: 200, width: 1600, height: 900 });
    await running.e.world.waitFor(() => win.isMaximized(), 'the window to be maximized again');
    await running.stop();

    // The second monitor is gone: no position off-screen, a size that fits the laptop.
    running = await startApp({ userData: dataDir, displays: [twoScreens[0]] });
    win = await running.mainWindow();
    expect(win.options).toMatchObject({ center: true, width: 1600, height: 900 });
    expect(win.options.x).toBeUndefined();
  });

  it('a damaged window-state.json is ignored with a note, never stops the start', async () => {
    const dataDir = fs.mkdtempSync(path.join(bundlePaths().dir, 'data-'));
    fs.writeFileSync(path.join(dataDir, 'window-state.json'), '{"bounds":');
    running = await startApp({ userData: dataDir });
    const win = await running.mainWindow();
    expect(win.options).toMatchObject({ center: true, width: 1280, height: 820 });
    expect(running.logs.join('\n')).toContain(`[window] ignoring ${path.join(dataDir, 'window-state.json')}`);
  });
});
