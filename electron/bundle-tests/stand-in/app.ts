/** STAND-IN for Electron's `app` (see world.ts): lifecycle, paths, single instance, login item. */
import { EventEmitter } from 'node:events';
import { preventable, type World } from './world';
import type { StandInBrowserWindow } from './windows';

export class StandInApp extends EventEmitter {
  private readonly paths: Record<string, string>;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  private loginItem = { openAtLogin: false };
  exitCode: number | undefined;
  quitted = false;
  sandboxEnabled = false;

  constructor(
    private readonly world: World,
    private readonly windows: () => StandInBrowserWindow[],
  ) {
    super();
    this.setMaxListeners(50);
    this.paths = { userData: world.opts.userData, downloads: world.opts.downloads ?? world.opts.userData, temp: world.opts.userData, home: world.opts.userData };
  }

  get isPackaged(): boolean {
    return this.world.opts.isPackaged ?? false;
  }

  /** Test side: Electron finished starting. */
  emitReady(): void {
    this.world.ready = true;
    this.readyResolve();
    this.emit('ready', {}, {});
    this.world.changed();
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.world.ready;
  }
  getName(): string {
    return 'clab-publisher';
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  getAppPath(): string {
    return this.world.opts.appPath;
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`stand-in app.getPath: no path "${name}"`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.world.record('app.setPath', name, value);
    this.paths[name] = value;
  }
  requestSingleInstanceLock(): boolean {
    this.world.record('app.requestSingleInstanceLock');
    return this.world.opts.singleInstance ?? true;
  }
  enableSandbox(): void {
    if (this.world.ready) throw new Error('app.enableSandbox() must be called before the app is ready');
    this.sandboxEnabled = true;
    this.world.record('app.enableSandbox');
  }
  focus(): void {
    this.world.record('app.focus');
  }
  setAboutPanelOptions(o: unknown): void {
    this.world.record('app.setAboutPanelOptions', o);
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { ...this.loginItem };
  }
  setLoginItemSettings(s: { openAtLogin: boolean }): void {
    this.world.record('app.setLoginItemSettings', s);
    this.loginItem = { openAtLogin: s.openAtLogin };
  }

  /**
   * Electron's order: `before-quit` (preventable), then every window gets `close` (preventable)
   * and `closed`, then `will-quit` (preventable), then `quit`. No `window-all-closed` on quit.
   */
  quit(): void {
    this.world.record('app.quit');
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.world.quitting = true;
    for (const w of this.windows()) {
      if (!w.isDestroyed()) w.close();
      if (!w.isDestroyed()) {
        this.world.quitting = false;
        return;
      }
    }
    const will = preventable();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.quitted = true;
    this.emit('quit', {}, 0);
    this.world.record('app.quitted');
  }

  exit(code = 0): void {
    this.exitCode = code;
    this.world.record('app.exit', code);
  }
}
