import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

// The React renderer, served by the headless host and loaded by Electron.
// Forge's Vite plugin passes `forgeConfigSelf` and sets its own outDir; leave that to it.
export default defineConfig((env) => {
  const underForge = 'forgeConfigSelf' in env;
  return {
    root: path.resolve(projectDir, 'renderer'),
    base: './',
    plugins: [react(), outDirFromProject()],
    build: {
      ...(underForge ? {} : { outDir: 'dist-renderer' }),
      emptyOutDir: true,
    },
  };
});
