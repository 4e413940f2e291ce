/**
 * The app window: the security checklist's web preferences and navigation rules, the IPC
 * bridge to the core, and its place on screen remembered across starts (window-state.ts).
 */
import path from 'node:path';
import { BrowserWindow, screen, type NativeImage } from 'electron';
import type { Core } from './core/app-core-types';
import { loadWindowState, placeWindow, saveWindowState, type WindowState } from './desktop/window-state';
import { registerIpc } from './ipc-bridge';
import { setNavigationPolicy } from './navigation';
import { SECURE_WEB_PREFERENCES } from './security';

const SIZE = { width: 1280, height: 820, minWidth: 900, minHeight: 560 };

export interface MainWindowOptions {
  core: Core;
  /** What the window loads: the dev server, or app://clab-publisher/index.html. */
  pageUrl: string;
  isOurPage(url: string): boolean;
  preload: string;
  icon: NativeImage;
  /** Packaged: no developer tools at all. */
  isPackaged: boolean;
  /** Started at login: stay in the tray until asked. */
  startHidden: boolean;
  places: WindowPlaces;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const place = placeWindow(opts.places.saved, screen.getAllDisplays().map((d) => d.workArea), SIZE);
  const win = new BrowserWindow({
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : { center: true }),
    width: place.width,
    height: place.height,
    minWidth: SIZE.minWidth,
    minHeight: SIZE.minHeight,
    title: 'clab-publisher',
    icon: opts.icon,
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preload, devTools: !opts.isPackaged },
  });
  setNavigationPolicy(win.webContents, { allow: opts.isOurPage, openDeniedExternally: true });
  const disposeIpc = registerIpc(opts.core, win, opts.isOurPage);
  win.on('close', () => opts.places.capture(win));
  win.on('closed', disposeIpc);
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    if (!opts.startHidden) win.show();
  });
  win.loadURL(opts.pageUrl).catch((err: unknown) => console.error(`[main] could not load the UI from ${opts.pageUrl}: ${String(err)}`));
  return win;
}

/** The window's last place: read once at start, captured when it closes, written on quit. */
export class WindowPlaces {
  saved: WindowState | undefined;
  private dirty = false;

  private constructor(private readonly dataDir: string) {}

  static async load(dataDir: string): Promise<WindowPlaces> {
    const p = new WindowPlaces(dataDir);
    p.saved = await loadWindowState(dataDir, (m) => console.warn(m));
    return p;
  }

  /** Remember where `win` is (its normal bounds when maximized). Call before it is destroyed. */
  capture(win: BrowserWindow): void {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    this.saved = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty || !this.saved) return;
    this.dirty = false;
    await saveWindowState(this.dataDir, this.saved).catch((err: unknown) => console.warn(`[window] could not save its place in ${path.join(this.dataDir, 'window-state.json')}: ${String(err)}`));
  }
}
