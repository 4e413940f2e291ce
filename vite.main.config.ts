import { defineConfig } from 'vite';

// Forge's Vite plugin supplies the rest (lib entry, CJS output into .vite/build, electron and
// Node builtins external). These packages stay in node_modules and are required at run time:
// ssh2 loads optional native addons (cpu-features, its crypto binding) that a bundle would
// break, and dockerode/ws come along so the main process and the headless host run the very
// same dependency code. forge.config.ts packages node_modules for them.
const keepInNodeModules = ['dockerode', 'ssh2', 'ws', 'cpu-features'];

export default defineConfig({
  build: {
    target: 'node22',
    rollupOptions: {
      external: [...keepInNodeModules, ...keepInNodeModules.map((m) => new RegExp(`^${m}/`)), /\.node$/],
    },
  },
});
