/**
 * Loads the BUILT bundles (build-bundles.ts) in plain Node, with `require('electron')`
 * answered by the stand-in, and starts the app the way Electron would: require main.js, then
 * `ready`. One helper per test: `startApp()` returns the stand-in handles and the main window.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inject } from 'vitest';
import { startDockerView } from './docker-view';
import { STAND_IN_GLOBAL } from './stand-in/global-key';
import { createElectronStandIn, type ElectronStandIn, type StandInBrowserWindow, type StandInWebContents, type WorldOptions } from './stand-in';

const requireNative = createRequire(__filename);
const projectRoot = path.resolve(__dirname, '../..');

export function bundlePaths() {
  const dir = inject('shellBundles');
  return {
    dir,
    main: path.join(dir, 'build', 'main.js'),
    preload: path.join(dir, 'build', 'preload.js'),
    renderer: path.join(dir, 'renderer', 'main_window'),
    shim: path.join(dir, 'node_modules', 'electron', 'index.js'),
  };
}

function install(e: ElectronStandIn): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(STAND_IN_GLOBAL)] = e.module;
  // Fresh module state per start: the bundle and the shim are required anew.
  const p = bundlePaths();
  for (const f of [p.main, p.preload, p.shim]) delete requireNative.cache[f];
}

/** `window.clabPublisher` as the page sees it. */
export interface Bridge {
  on(event: string, listener: (payload: unknown) => void): () => void;
  ready(): void;
  [method: string]: unknown;
}

export type Envelope = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; hint?: string; field?: string } };

/** What the page's `clabPublisher[method](params)` resolves to. */
export function call(bridge: Bridge, method: string, params?: unknown): Promise<Envelope> {
  const fn = bridge[method];
  if (typeof fn !== 'function') throw new Error(`the bridge has no method ${method}`);
  return (fn as (p?: unknown) => Promise<Envelope>)(params);
}

export interface RunningApp {
  e: ElectronStandIn;
  dataDir: string;
  logs: string[];
  /** Resolves once the main window exists and has loaded its page. */
  mainWindow(): Promise<StandInBrowserWindow>;
  /** Loads the built preload into `wc` and returns what it exposed to the page. */
  loadPreload(wc: StandInWebContents): Record<string, unknown>;
  /** The main window's page: its preload loaded, `window.clabPublisher` returned. */
  page(): Promise<Bridge>;
  /** app.quit(), resolved when the app really quit (after its clean-up). */
  quit(): Promise<void>;
  /** Quits if still running, restores globals. */
  stop(): Promise<void>;
}

export interface StartOptions extends Partial<WorldOptions> {
  /** process.argv additions, e.g. the login item's --hidden. */
  argv?: string[];
  /** Extra environment for the app (border0 stand-in URLs, XDG_CONFIG_HOME). */
  env?: Record<string, string>;
  /** Skip `ready`: for tests of what happens before it. */
  noReady?: boolean;
  /** The one lab of the shared Docker daemon the app may see (default: none). */
  dockerLab?: string;
}

export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  // Under the run's bundle folder, removed by the global teardown once every worker is gone:
  // a core's work still in flight after dispose (a port scan that logs) finds its folder there.
  const dataDir = opts.userData ?? fs.mkdtempSync(path.join(bundlePaths().dir, 'data-'));
  const viewDir = fs.mkdtempSync(path.join(bundlePaths().dir, 'docker-view-'));
  const docker = await startDockerView(viewDir, opts.dockerLab);
  const e = createElectronStandIn({ appPath: projectRoot, downloads: path.join(dataDir, 'Downloads'), ...opts, userData: dataDir });
  const logs: string[] = [];
  const saved = { warn: console.warn, error: console.error, info: console.info, log: console.log };
  const capture = (level: string) => (...args: unknown[]) => {
    logs.push(`${level}: ${args.map(String).join(' ')}`);
    e.world.changed();
  };
  console.warn = capture('warn');
  console.error = capture('error');
  console.info = capture('info');
  const argv = process.argv;
  process.argv = [...argv, ...(opts.argv ?? [])];
  const envBefore = { ...process.env };
  // XDG_CONFIG_HOME: "open at login" writes its autostart entry here, never in the real home.
  const xdg = fs.mkdtempSync(path.join(bundlePaths().dir, 'xdg-'));
  Object.assign(process.env, { DOCKER_HOST: docker.host, XDG_CONFIG_HOME: xdg }, opts.env ?? {});
  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };

  // Electron sets process.resourcesPath (a packaged app's README lives there); plain Node does not.
  const resourcesBefore = Object.getOwnPropertyDescriptor(process, 'resourcesPath');
  Object.defineProperty(process, 'resourcesPath', { value: path.join(dataDir, 'resources'), configurable: true, writable: true });

  install(e);
  requireNative(bundlePaths().main);
  if (!opts.noReady) e.app.emitReady();

  let stopped = false;
  const app: RunningApp = {
    e,
    dataDir,
    logs,
    mainWindow: () => e.world.waitFor(() => e.windows().find((w) => w.webContents.getURL() && !w.options.parent), 'the main window to load its page'),
    loadPreload(wc) {
      const r = e.rendererFor(wc);
      Object.assign(e.module, { ipcRenderer: r.ipcRenderer, contextBridge: r.contextBridge });
      delete requireNative.cache[bundlePaths().preload];
      requireNative(bundlePaths().preload);
      return r.exposed;
    },
    async page() {
      const win = await app.mainWindow();
      return app.loadPreload(win.webContents).clabPublisher as Bridge;
    },
    async quit() {
      e.app.quit();
      await e.world.waitFor(() => e.app.quitted || e.app.exitCode !== undefined, 'the app to quit after its clean-up', 20_000);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        if (e.world.ready && !e.app.quitted && e.app.exitCode === undefined) await app.quit();
      } finally {
        for (const sig of ['SIGINT', 'SIGTERM'] as const) for (const l of process.listeners(sig)) if (!signalListeners[sig].includes(l)) process.off(sig, l);
        Object.assign(console, saved);
        process.argv = argv;
        for (const k of Object.keys(process.env)) if (!(k in envBefore)) delete process.env[k];
        Object.assign(process.env, envBefore);
        await docker.close();
        if (resourcesBefore) Object.defineProperty(process, 'resourcesPath', resourcesBefore);
        else delete (process as { resourcesPath?: string }).resourcesPath;
      }
    },
  };
  return app;
}
