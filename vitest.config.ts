import { defineConfig } from 'vitest/config';

// Unit and integration tests sit next to the code. Integration tests start real dockerd
// containers and a real sshd, so they get generous timeouts and run one file at a time
// per worker (2 cores here).
//
// The `shell` project tests the Electron main and preload bundles as Forge builds them, loaded
// with a stand-in for the `electron` module: its global set-up builds them once per run, and
// only runs when one of its files is selected.
const BUNDLE_TESTS = 'electron/bundle-tests/**/*.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'], exclude: [BUNDLE_TESTS] },
      },
      {
        extends: true,
        test: { name: 'shell', include: [BUNDLE_TESTS], globalSetup: ['electron/bundle-tests/build-bundles.ts'] },
      },
    ],
  },
});
