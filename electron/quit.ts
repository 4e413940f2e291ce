/**
 * Quitting holds the first `before-quit` until the clean-up is done (the core closes every
 * tunnel and listener, settings and the window's place are written), then quits for real. A
 * clean-up that hangs is given up after a bound, so the app always ends.
 */
import type { App } from 'electron';

/** Longest we hold the quit for the core to close its tunnels. */
export const CLEANUP_TIMEOUT_MS = 10_000;

export type CleanupTask = () => Promise<void> | void;

export function quitAfterCleanup(app: App, tasks: CleanupTask[], timeoutMs = CLEANUP_TIMEOUT_MS): void {
  let state: 'running' | 'cleaning' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'cleaning') return;
    state = 'cleaning';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[main] clean-up did not finish within ${timeoutMs} ms; quitting anyway`);
        resolve();
      }, timeoutMs);
    });
    // One after the other, each guarded: a failing step must not skip the core's dispose.
    const run = async () => {
      for (const task of tasks) {
        try {
          await task();
        } catch (err) {
          console.error(`[main] clean-up step failed: ${String(err)}`);
        }
      }
    };
    void Promise.race([run(), timeout]).finally(() => {
      clearTimeout(timer);
      state = 'done';
      app.quit();
    });
  });
}
