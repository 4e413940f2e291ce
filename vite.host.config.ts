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

// Two entries: the CLI, and the worker thread that reads topology files
// (electron/core/topology/topology-in-worker.ts starts dist-host/topology-worker.js).
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist-host',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      external,
      input: { cli: 'electron/host/cli.ts', 'topology-worker': 'electron/core/topology/topology-worker.ts' },
      output: {
        format: 'cjs',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  ssr: { noExternal: [] },
});
