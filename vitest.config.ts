import { defineConfig } from 'vitest/config';

// Unit and integration tests sit next to the code. Integration tests start real dockerd
// containers and a real sshd, so they get generous timeouts and run one file at a time
// per worker (2 cores here).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
