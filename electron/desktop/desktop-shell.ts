/**
 * What desktop users expect around the window: the application menu, the tray icon with the
 * online count, "open at login". One set of actions feeds both menus, so they never disagree.
 */
import path from 'node:path';
import { app, Menu, shell, type BrowserWindow, type NativeImage } from 'electron';
import type { Tunnel } from '../../shared/model';
import type { Core } from '../core/app-core-types';
import { openExternalSafely } from '../navigation';
import { appMenuTemplate } from './app-menu';
import type { LoginItem } from './login-item';
import { createAppTray, type AppTray } from './tray';

export interface DesktopShellOptions {
  core: Core;
  dataDir: string;
  icon: NativeImage;
  loginItem: LoginItem;
  /** The README shipped with the app (extraResource when packaged). */
  readmePath: string;
  window(): BrowserWindow | undefined;
  /** Shows the window, making one if it was closed (macOS keeps running without one). */
  showWindow(): void;
}

export interface DesktopShell {
  /** The window was shown or hidden: the tray offers the other. */
  refresh(): void;
  dispose(): void;
}

export async function startDesktopShell(opts: DesktopShellOptions): Promise<DesktopShell> {
  let atLogin: boolean | undefined = opts.loginItem.supported ? await opts.loginItem.isEnabled().catch(() => false) : undefined;
  let tray: AppTray | undefined;

  const openPath = (p: string) =>
    void shell.openPath(p).then((err) => {
      if (err) console.warn(`[desktop] could not open ${p}: ${err}`);
    });
  const actions = {
    openLogsFolder: () => openPath(path.join(opts.dataDir, 'logs')),
    openDataFolder: () => openPath(opts.dataDir),
    openReadme: () => openPath(opts.readmePath),
    openExternal: (url: string) => openExternalSafely(url),
    openAtLogin: () => atLogin,
    setOpenAtLogin: (on: boolean) => {
      opts.loginItem.setEnabled(on).then(
        () => {
          atLogin = on;
          rebuild();
        },
        (err: unknown) => {
          console.warn(`[desktop] could not turn "open at login" ${on ? 'on' : 'off'}: ${String(err)}`);
          rebuild();
        },
      );
    },
  };
  const rebuild = () => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged, appName: app.getName() }, actions)));
    tray?.refresh();
  };

  tray = createAppTray(opts.icon, {
    ...actions,
    isWindowVisible: () => opts.window()?.isVisible() ?? false,
    showWindow: opts.showWindow,
    hideWindow: () => opts.window()?.hide(),
    quit: () => app.quit(),
  });
  rebuild();

  let heard = false;
  const off = opts.core.events.on('tunnels.changed', (tunnels) => {
    heard = true;
    tray?.update(tunnels);
  });
  // Tunnels that came up while the core started, before we listened; an event is newer.
  const initial = await opts.core.dispatch('tunnels.list', {});
  if (initial.ok && !heard) tray?.update(initial.result as Tunnel[]);

  return {
    refresh: () => tray?.refresh(),
    dispose() {
      off();
      tray?.destroy();
      tray = undefined;
    },
  };
}
