/**
 * STAND-IN for Electron's BrowserWindow and WebContents (see world.ts). Pages do not render:
 * loading a URL just sets it. Test-side helpers (`user*`, `frame`) play what a page or a user
 * would do, through the same events and handlers Electron would call.
 */
import { EventEmitter } from 'node:events';
import type { StandInSession } from './session';
import { preventable, type World } from './world';

export interface Frame {
  url: string;
  parent: Frame | null;
}

type Rect = { x: number; y: number; width: number; height: number };
type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => { action: 'allow' | 'deny' };

let nextId = 1;

export class StandInWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: Frame = { url: '', parent: null };
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler?: WindowOpenHandler;
  destroyed = false;
  /** The preload's listeners (ipcRenderer.on), when a preload was loaded into this page. */
  readonly rendererListeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();

  constructor(
    private readonly world: World,
    readonly session: StandInSession,
  ) {
    super();
  }

  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(h: WindowOpenHandler): void {
    this.windowOpenHandler = h;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // IPC copies with the structured clone algorithm, as Electron does.
    const copy = structuredClone(args);
    this.sent.push({ channel, args: copy });
    for (const l of this.rendererListeners.get(channel) ?? []) l({ sender: {} }, ...copy);
    this.world.changed();
  }

  /** Main-process initiated load (loadURL): no will-navigate, as in Electron. */
  load(url: string): void {
    this.emit('did-start-navigation', { url, isMainFrame: true, isSameDocument: false });
    this.mainFrame.url = url;
    this.world.record('webContents.loaded', this.id, url);
  }

  /** A link click or `location = url` in the page: returns whether the shell let it happen. */
  userNavigates(url: string): boolean {
    const e = preventable({ url, isMainFrame: true });
    this.emit('will-navigate', e, url);
    if (!e.defaultPrevented) this.load(url);
    return !e.defaultPrevented;
  }
  /** A server redirect during a navigation. */
  redirects(url: string): boolean {
    const e = preventable({ url, isMainFrame: true });
    this.emit('will-redirect', e, url);
    return !e.defaultPrevented;
  }
  /** `window.open(url)` or a `target=_blank` link. */
  userOpensWindow(url: string): { action: 'allow' | 'deny' } {
    if (!this.windowOpenHandler) return { action: 'allow' };
    return this.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window' });
  }
  /** A `<webview>` in the page: returns whether it was allowed to attach. */
  attachesWebview(src: string): boolean {
    const e = preventable();
    this.emit('will-attach-webview', e, { preload: '/evil.js', nodeIntegration: true }, { src });
    return !e.defaultPrevented;
  }
  /** An iframe of `url` inside this page. */
  frame(url: string): Frame {
    return { url, parent: this.mainFrame };
  }
}

export class StandInBrowserWindow extends EventEmitter {
  readonly webContents: StandInWebContents;
  private bounds: Rect;
  private visible = false;
  private minimized = false;
  private maximized = false;
  private destroyed = false;

  constructor(
    private readonly world: World,
    private readonly registry: Set<StandInBrowserWindow>,
    readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> },
    session: StandInSession,
    onWebContents: (wc: StandInWebContents) => void,
  ) {
    super();
    const d = world.displays[0].workArea;
    const width = (options.width as number) ?? 800;
    const height = (options.height as number) ?? 600;
    this.bounds = { x: (options.x as number) ?? d.x + Math.round((d.width - width) / 2), y: (options.y as number) ?? d.y + Math.round((d.height - height) / 2), width, height };
    this.webContents = new StandInWebContents(world, session);
    registry.add(this);
    world.record('BrowserWindow.new', options);
    // Electron emits app 'web-contents-created' for every new web contents.
    onWebContents(this.webContents);
  }

  loadURL(url: string): Promise<void> {
    this.webContents.load(url);
    setImmediate(() => {
      if (this.destroyed) return;
      this.emit('ready-to-show');
      this.world.record('BrowserWindow.ready-to-show');
    });
    return Promise.resolve();
  }
  loadFile(file: string): Promise<void> {
    return this.loadURL(`file://${file}`);
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
    this.emit('show');
    this.world.record('BrowserWindow.show');
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
    this.world.record('BrowserWindow.hide');
  }
  isVisible(): boolean {
    return this.visible && !this.minimized;
  }
  focus(): void {
    this.world.record('BrowserWindow.focus');
  }
  minimize(): void {
    this.minimized = true;
    this.world.changed();
  }
  restore(): void {
    this.minimized = false;
    this.world.record('BrowserWindow.restore');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  maximize(): void {
    this.maximized = true;
    this.world.record('BrowserWindow.maximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return false;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(b: Partial<Rect>): void {
    this.bounds = { ...this.bounds, ...b };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** `close` (preventable), then `closed`; the last window closed outside a quit: `window-all-closed`. */
  close(): void {
    if (this.destroyed) return;
    const e = preventable();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.registry.delete(this);
    this.emit('closed');
    this.webContents.emit('destroyed');
    this.world.record('BrowserWindow.closed');
    if (this.registry.size === 0 && !this.world.quitting) this.world.emit('all-windows-closed');
  }
}
