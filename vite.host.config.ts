import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json';

// The headless host and CLI as one Node bundle (dist-host/cli.js). Dependencies stay in
// node_modules: ssh2 has optional native parts (cpu-features, .node files) that must not be
// bundled.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  'cpu-features',
  /\.node$/,
];

export default defineConfig({
  build: {
    ssr: 'electron/host/cli.ts',
    outDir: 'dist-host',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      external,
      output: { format: 'cjs', entryFileNames: 'cli.js', banner: '#!/usr/bin/env node' },
    },
  },
  ssr: { noExternal: [] },
});
