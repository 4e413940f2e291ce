/**
 * Electron entry, kept thin: one core (which owns Docker and the tunnels), one window with the
 * Electron security checklist applied, the IPC bridge between them, and a clean shutdown that
 * closes every tunnel and listener before the process exits.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session, type Session } from 'electron';
import { createCore } from './core/app-core';
import { followLogins, safeStorageCipher } from './desktop-login';
import type { Core } from './core/app-core-types';
import { registerIpc } from './ipc-bridge';
import { hardenWebContents, setNavigationPolicy } from './navigation';
import { ALLOWED_PERMISSIONS, type AppLocation, buildCsp, isAppUrl, SECURE_WEB_PREFERENCES } from './security';

/** Longest we hold the quit for the core to close its tunnels. */
const DISPOSE_TIMEOUT_MS = 10_000;

const devServerUrl =
  typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' && MAIN_WINDOW_VITE_DEV_SERVER_URL ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const indexHtml = path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);
const appLocation: AppLocation = devServerUrl ? { kind: 'dev', url: devServerUrl } : { kind: 'file', url: pathToFileURL(indexHtml).href };
const isOurPage = (url: string) => isAppUrl(url, appLocation);

// Tests and side-by-side installs point the app at another data folder (settings, secrets, logs).
if (process.env.CLAB_PUBLISHER_USER_DATA) app.setPath('userData', path.resolve(process.env.CLAB_PUBLISHER_USER_DATA));

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

function applySessionPolicy(ses: Session): void {
  const csp = buildCsp({ devServerUrl });
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission) && isOurPage(wc.getURL())));
  ses.setPermissionCheckHandler((wc, permission) => ALLOWED_PERMISSIONS.has(permission) && !!wc && isOurPage(wc.getURL()));
  ses.on('will-download', (event) => event.preventDefault());
}

function createMainWindow(c: Core): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'clab-publisher',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: path.join(__dirname, 'preload.js') },
  });
  setNavigationPolicy(win.webContents, { allow: isOurPage, openDeniedExternally: true });
  const disposeIpc = registerIpc(c, win, isOurPage);
  win.on('closed', () => {
    disposeIpc();
    if (mainWindow === win) mainWindow = undefined;
  });
  win.once('ready-to-show', () => win.show());
  const loading = devServerUrl ? win.loadURL(devServerUrl) : win.loadFile(indexHtml);
  loading.catch((err: unknown) => console.error(`[main] could not load the UI: ${String(err)}`));
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  applySessionPolicy(session.defaultSession);
  try {
    core = createCore({ dataDir: app.getPath('userData'), secretCipher: safeStorageCipher() });
  } catch (err) {
    dialog.showErrorBox('clab-publisher could not start', String((err as Error)?.message ?? err));
    app.exit(1);
    return;
  }
  // A core that fails to start (no Docker, say) still answers calls; the UI shows the reason.
  await core.start().catch((err: unknown) => console.error(`[main] core start failed: ${String(err)}`));
  mainWindow = createMainWindow(core);
  followLogins(core, () => mainWindow ?? undefined);
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(core);
  });
}

/** Hold the first quit until the core has closed tunnels and listeners, then quit for real. */
function quitAfterDispose(): void {
  let state: 'running' | 'disposing' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'done' || !core) return;
    event.preventDefault();
    if (state === 'disposing') return;
    state = 'disposing';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[main] core did not stop within ${DISPOSE_TIMEOUT_MS} ms; quitting anyway`);
        resolve();
      }, DISPOSE_TIMEOUT_MS);
    });
    Promise.race([core.dispose(), timeout])
      .catch((err: unknown) => console.error(`[main] core dispose failed: ${String(err)}`))
      .finally(() => {
        clearTimeout(timer);
        state = 'done';
        app.quit();
      });
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data folder and the listeners; it gets focused instead.
  app.quit();
} else {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  quitAfterDispose();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  start().catch((err: unknown) => {
    console.error(`[main] start failed: ${String(err)}`);
    app.exit(1);
  });
}
