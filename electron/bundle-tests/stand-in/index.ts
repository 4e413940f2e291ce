/**
 * THE ELECTRON STAND-IN (read world.ts first): `createElectronStandIn()` returns a fresh fake
 * `electron` module and handles to everything it recorded. One per app start in a test.
 */
import { StandInApp } from './app';
import { rendererSide, StandInIpcMain } from './ipc';
import { StandInMenu, StandInSafeStorage, StandInTray, standInDialog, standInMenuModule, standInNativeImage, standInNotification, standInScreen, standInShell, type StandInImage } from './os-integration';
import { StandInProtocol, StandInSession } from './session';
import { StandInBrowserWindow, StandInWebContents } from './windows';
import { World, type WorldOptions } from './world';

export type { StandInMenu, StandInMenuItem } from './os-integration';
export type { StandInBrowserWindow, StandInWebContents } from './windows';
export { preventable, World, type Display, type WorldOptions } from './world';

export interface ElectronStandIn {
  /** What `require('electron')` returns in the loaded bundles. */
  module: Record<string, unknown>;
  world: World;
  app: StandInApp;
  ipcMain: StandInIpcMain;
  protocol: StandInProtocol;
  safeStorage: StandInSafeStorage;
  defaultSession: StandInSession;
  sessions: Map<string, StandInSession>;
  windows(): StandInBrowserWindow[];
  trays: StandInTray[];
  applicationMenu(): StandInMenu | null;
  /** The ipcRenderer / contextBridge a preload loaded into `wc` gets. */
  rendererFor(wc: StandInWebContents): ReturnType<typeof rendererSide>;
  /** Every web contents created, in order (app 'web-contents-created'). */
  webContents: StandInWebContents[];
}

export function createElectronStandIn(opts: WorldOptions): ElectronStandIn {
  const world = new World(opts);
  const registry = new Set<StandInBrowserWindow>();
  const windows = () => [...registry];
  const app = new StandInApp(world, windows);
  const protocol = new StandInProtocol(world);
  const defaultSession = new StandInSession(world, '', protocol);
  const sessions = new Map<string, StandInSession>();
  const ipcMain = new StandInIpcMain(world);
  const safeStorage = new StandInSafeStorage(world);
  const menu = standInMenuModule(world);
  const trays: StandInTray[] = [];
  const webContents: StandInWebContents[] = [];

  const fromPartition = (partition: string): StandInSession => {
    if (!partition) return defaultSession;
    let s = sessions.get(partition);
    if (!s) {
      s = new StandInSession(world, partition, new StandInProtocol(world));
      sessions.set(partition, s);
      world.record('session.fromPartition', partition);
    }
    return s;
  };

  class BrowserWindow extends StandInBrowserWindow {
    constructor(options: Record<string, unknown> & { webPreferences?: Record<string, unknown> } = {}) {
      if (!world.ready) throw new Error('Cannot create BrowserWindow before app is ready');
      const partition = (options.webPreferences?.partition as string | undefined) ?? '';
      super(world, registry, options, fromPartition(partition), (wc) => {
        webContents.push(wc);
        app.emit('web-contents-created', {}, wc);
      });
    }
    static getAllWindows(): StandInBrowserWindow[] {
      return windows();
    }
  }

  class Tray extends StandInTray {
    constructor(image: StandInImage) {
      super(world, image);
      trays.push(this);
    }
  }

  // Electron's default when nobody listens to window-all-closed: quit.
  world.on('all-windows-closed', () => (app.listenerCount('window-all-closed') ? app.emit('window-all-closed') : app.quit()));

  const module = {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession, fromPartition },
    safeStorage,
    shell: standInShell(world),
    dialog: standInDialog(world),
    Menu: menu,
    Tray,
    nativeImage: standInNativeImage,
    screen: standInScreen(world),
    Notification: standInNotification(world),
    // A preload loaded through load-bundle.ts replaces these two with its page's own.
    ipcRenderer: undefined,
    contextBridge: undefined,
  };

  return {
    module,
    world,
    app,
    ipcMain,
    protocol,
    safeStorage,
    defaultSession,
    sessions,
    windows,
    trays,
    applicationMenu: () => menu.getApplicationMenu(),
    rendererFor: (wc) => rendererSide(world, ipcMain, wc),
    webContents,
  };
}
