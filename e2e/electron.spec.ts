import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

// The desktop app itself, in Playwright's Electron mode. It runs only where an Electron binary
// is installed; elsewhere it is skipped with the reason printed, and the web project covers
// the same flows through the headless host.

const NO_BINARY = 'Electron binary not installed (npm could not download it on this machine); the web project covers the same flows';
const root = path.resolve(__dirname, '..');
const mainJs = path.join(root, '.vite/build/main.js');
const indexHtml = path.join(root, '.vite/renderer/main_window/index.html');

/**
 * Where `require('electron')` would point, found without requiring it: when the binary is
 * missing, the electron package's index.js starts a download, which hangs or fails offline.
 */
function electronBinary(): string | undefined {
  try {
    const pkgDir = path.dirname(require.resolve('electron/package.json', { paths: [root] }));
    const pathFile = path.join(pkgDir, 'path.txt');
    const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const exe = override ? path.join(override, rel || 'electron') : rel ? path.join(pkgDir, 'dist', rel) : undefined;
    return exe && fs.existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

test('the desktop window loads the UI with the secure bridge and shows the top bar', async () => {
  const executablePath = electronBinary();
  if (!executablePath) console.log(`electron project skipped: ${NO_BINARY}`);
  test.skip(!executablePath, NO_BINARY);
  if (!executablePath) return; // not reached: skip() ends the test; this narrows the type
  for (const f of [mainJs, indexHtml]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: build the Electron bundles (main, preload, renderer) with Forge's Vite plugin first`);
  }

  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-publisher-electron-'));
  const app = await electron.launch({
    executablePath,
    // Chromium refuses to start as root without it; the renderer stays sandboxed by Electron's own flag.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), mainJs],
    env: { ...process.env, CLAB_PUBLISHER_USER_DATA: userData } as Record<string, string>,
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('tunnel-summary')).toBeVisible();
    // Served by the app protocol, never from file:// (the file-privileges fuse is off).
    expect(win.url()).toBe('app://clab-publisher/index.html');

    // The page sees the bridge, never Node or ipcRenderer.
    const surface = await win.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.clabPublisher as Record<string, unknown> | undefined;
      return {
        bridge: typeof bridge,
        labsList: typeof bridge?.['labs.list'],
        ipcRenderer: bridge ? 'ipcRenderer' in bridge : false,
        require: typeof w.require,
        process: typeof w.process,
      };
    });
    expect(surface).toEqual({ bridge: 'object', labsList: 'function', ipcRenderer: false, require: 'undefined', process: 'undefined' });
  } finally {
    await app.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
});
