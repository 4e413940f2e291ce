import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { quitAfterCleanup } from './quit';

/** Just enough of `app` for the quit sequence: before-quit is preventable, quit() emits it. */
function fakeApp() {
  const app = new EventEmitter() as EventEmitter & { quit(): void; quits: number; quitted: boolean };
  app.quits = 0;
  app.quitted = false;
  app.quit = () => {
    app.quits++;
    const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
    app.emit('before-quit', e);
    if (!e.prevented) {
      app.quitted = true;
      app.emit('quitted');
    }
  };
  return app;
}
const quitted = (app: ReturnType<typeof fakeApp>) => new Promise<void>((r) => (app.quitted ? r() : app.once('quitted', () => r())));

describe('quitAfterCleanup', () => {
  it('holds the quit until every step ran in order, a failing step skipping none', async () => {
    const app = fakeApp();
    const ran: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    quitAfterCleanup(app as unknown as App, [
      async () => void ran.push('window place'),
      () => {
        throw new Error('disk full');
      },
      async () => void ran.push('core'),
    ]);
    app.quit();
    expect(app.quitted).toBe(false);
    app.quit(); // a second Quit while cleaning: still held, no second clean-up
    await quitted(app);
    expect(ran).toEqual(['window place', 'core']);
    expect(errors.mock.calls.flat().join(' ')).toContain('disk full');
    expect(app.quits).toBe(3);
    errors.mockRestore();
  });

  it('gives up on a step that hangs after the bound, and quits anyway', async () => {
    const app = fakeApp();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    quitAfterCleanup(app as unknown as App, [() => new Promise<void>(() => {})], 50);
    app.quit();
    await quitted(app);
    expect(errors.mock.calls.flat().join(' ')).toContain('did not finish within 50 ms');
    errors.mockRestore();
  });
});
