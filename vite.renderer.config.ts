import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { buildCsp } from './shared/csp';

const projectDir = __dirname;

/**
 * Vite resolves a relative `outDir` against `root` (renderer/); resolve it against the
 * project instead, so `--outDir dist-renderer` and Forge's `.vite/renderer/<name>` land
 * where their users look for them.
 */
function outDirFromProject(): Plugin {
  return {
    name: 'clab-publisher:out-dir-from-project',
    config(config) {
      const outDir = config.build?.outDir;
      if (outDir && !path.isAbsolute(outDir)) return { build: { outDir: path.resolve(projectDir, outDir) } };
    },
  };
}

/**
 * The built page carries the CSP as a <meta> tag too, besides the header the headless host and
 * the desktop app's app:// protocol send: a copy of the page opened any other way keeps it.
 * Build only: the dev server needs inline scripts, and main.ts sets the dev policy as a header.
 */
function cspMeta(): Plugin {
  return {
    name: 'clab-publisher:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: buildCsp({ forMeta: true }) }, injectTo: 'head-prepend' }],
  };
}

// The React renderer, served by the headless host and loaded by Electron.
// Forge's Vite plugin passes `forgeConfigSelf` and sets its own outDir; leave that to it.
export default defineConfig((env) => {
  const underForge = 'forgeConfigSelf' in env;
  return {
    root: path.resolve(projectDir, 'renderer'),
    base: './',
    plugins: [react(), outDirFromProject(), cspMeta()],
    build: {
      ...(underForge ? {} : { outDir: 'dist-renderer' }),
      emptyOutDir: true,
    },
  };
});
