/**
 * Electron entry, kept thin: one instance per data folder, one core (which owns Docker and the
 * tunnels), one window with the Electron security checklist applied and its page served from
 * our own `app://` origin, the tray and menus around it, and a clean shutdown that closes every
 * tunnel and listener before the process exits.
 */
import path from 'node:path';
import { app, dialog, nativeImage, protocol, safeStorage, session, type BrowserWindow, type NativeImage } from 'electron';
import { createCore } from './core/app-core';
import type { Core } from './core/app-core-types';
import { APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createRendererHandler } from './app-protocol';
import { followLogins } from './desktop-login';
import { chooseSecretCipher } from './desktop-secrets';
import trayIconDataUrl from './desktop/assets/tray-icon.png?inline';
import { startDesktopShell, type DesktopShell } from './desktop/desktop-shell';
import { loginItem, START_HIDDEN_ARG } from './desktop/login-item';
import { createMainWindow, WindowPlaces } from './main-window';
import { hardenWebContents } from './navigation';
import { quitAfterCleanup } from './quit';
import { buildCsp, isAppUrl, type AppLocation } from './security';
import { applySessionPolicy } from './session-policy';

const devServerUrl =
  typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' && MAIN_WINDOW_VITE_DEV_SERVER_URL ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererRoot = path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}`);
/** Built by Forge next to the window's renderer (forge.config.ts); absent under `electron-forge start`, where pages are plain HTML. */
const audienceRoot = path.join(__dirname, '../renderer/audience');
const appLocation: AppLocation = devServerUrl ? { kind: 'dev', url: devServerUrl } : { kind: 'app', url: APP_PAGE_URL };
const isOurPage = (url: string) => isAppUrl(url, appLocation);

// Tests and side-by-side installs point the app at another data folder (settings, secrets, logs).
if (process.env.CLAB_PUBLISHER_USER_DATA) app.setPath('userData', path.resolve(process.env.CLAB_PUBLISHER_USER_DATA));
// Only before `ready`, and in one call for every scheme the app will ever have.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;
let places: WindowPlaces | undefined;
let desktop: DesktopShell | undefined;
let icon: NativeImage | undefined;

function openWindow(c: Core, startHidden: boolean): BrowserWindow {
  const win = createMainWindow({
    core: c,
    pageUrl: devServerUrl ?? APP_PAGE_URL,
    isOurPage,
    preload: path.join(__dirname, 'preload.js'),
    icon: icon!,
    isPackaged: app.isPackaged,
    startHidden,
    places: places!,
  });
  win.on('show', () => desktop?.refresh());
  win.on('hide', () => desktop?.refresh());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
    desktop?.refresh();
  });
  return win;
}

function showWindow(): void {
  if (!core) return;
  if (!mainWindow) mainWindow = openWindow(core, false);
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const csp = buildCsp({ devServerUrl });
  if (!devServerUrl) protocol.handle(APP_SCHEME, createRendererHandler({ root: rendererRoot, csp, log: (m) => console.warn(m) }));
  applySessionPolicy(session.defaultSession, { isOurPage, csp, downloadsDir: () => app.getPath('downloads') });
  try {
    const { cipher, reason } = chooseSecretCipher(safeStorage, process.platform, dataDir);
    const level = cipher.kind === 'safeStorage' ? 'info' : 'warn';
    (level === 'info' ? console.info : console.warn)(`[secrets] ${reason}`);
    // In the core's log too, where the user looks (the logs view), not only on a console.
    core = createCore({ dataDir, secretCipher: cipher, notes: [{ level, message: reason }], audienceDir: audienceRoot });
  } catch (err) {
    dialog.showErrorBox('clab-publisher could not start', String((err as Error)?.message ?? err));
    app.exit(1);
    return;
  }
  const c = core;
  // A core that fails to start (no Docker, say) still answers calls; the UI shows the reason.
  await c.start().catch((err: unknown) => console.error(`[main] core start failed: ${String(err)}`));
  places = await WindowPlaces.load(dataDir);
  icon = nativeImage.createFromDataURL(trayIconDataUrl);
  const login = loginItem({ platform: process.platform, app, command: app.isPackaged ? [process.env.APPIMAGE ?? process.execPath] : [process.execPath, app.getAppPath()] });
  desktop = await startDesktopShell({
    core: c,
    dataDir,
    icon,
    loginItem: login,
    readmePath: app.isPackaged ? path.join(process.resourcesPath, 'README.md') : path.join(app.getAppPath(), 'README.md'),
    window: () => mainWindow,
    showWindow,
  });
  // Started at login: stay in the tray (a second launch or the tray icon shows the window).
  mainWindow = openWindow(c, process.argv.includes(START_HIDDEN_ARG));
  followLogins(c, () => mainWindow);
  app.on('activate', showWindow);
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data folder and the listeners; it shows its window instead.
  app.quit();
} else {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  quitAfterCleanup(app, [
    () => {
      if (mainWindow) places?.capture(mainWindow);
      return places?.save();
    },
    () => core?.dispose(),
    () => desktop?.dispose(),
  ]);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  start().catch((err: unknown) => {
    console.error(`[main] start failed: ${String(err)}`);
    app.exit(1);
  });
}
