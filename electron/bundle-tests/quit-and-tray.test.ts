/**
 * A real lab (one container on the shared Docker daemon, seen by the app alone through a
 * Docker view), the built main bundle with the electron STAND-IN (stand-in/world.ts), a real
 * core: the tray counts the online tunnels from the core's events, and quitting closes the
 * tunnels and writes settings and the window's place before the process may end.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Tunnel } from '../../shared/model';
import { startLab, type TestLab } from '../../test-support/lab-containers';
import { call, startApp, type RunningApp } from './load-bundle';

const LAB = `shell${process.pid}`;
let lab: TestLab;
/** The first test's data folder, started again by the second. */
let kept: string | undefined;
let running: RunningApp | undefined;

beforeAll(async () => {
  lab = await startLab({ lab: LAB, nodes: [{ name: 'r1' }] });
  await lab.waitForPorts('r1', [7]);
});
afterAll(async () => lab?.remove());
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function echo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('ping\n'));
    s.setTimeout(5000, () => s.destroy(new Error('echo timed out')));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString());
    });
    s.once('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe.sequential('with a published node port', () => {
  it('the tray shows the online count from tunnels.changed, and quitting closes the tunnel and flushes settings', async () => {
    running = await startApp({ dockerLab: LAB });
    const { e } = running;
    const page = await running.page();
    const tray = await e.world.waitFor(() => e.trays[0], 'the tray icon');
    expect(tray.image.isEmpty()).toBe(false);
    expect(tray.toolTip).toBe('clab-publisher: No tunnels');

    const added = await call(page, 'publications.add', { lab: LAB, node: 'r1', port: 7, type: 'tcp' });
    expect(added).toMatchObject({ ok: true });

    await e.world.waitFor(() => tray.toolTip === 'clab-publisher: 1/1 tunnel online', 'the tray to count the tunnel online', 30_000);
    expect(tray.menu?.find('summary')?.label).toBe('1/1 tunnel online');
    const tunnels = await call(page, 'tunnels.list', {});
    const endpoint = tunnels.ok ? (tunnels.result as Tunnel[])[0].endpoint : undefined;
    expect(endpoint?.port).toBeGreaterThan(0);
    expect(await echo(endpoint!.port)).toBe('ping\n');

    const win = await running.mainWindow();
    win.setBounds({ x: 40, y: 30, width: 1111, height: 777 });
    await running.quit();

    // The first before-quit was held for the clean-up; the second one went through.
    expect(e.world.called('app.quit').length).toBe(2);
    expect(await refused(endpoint!.port)).toBe(true);
    const settings = JSON.parse(fs.readFileSync(path.join(running.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(settings)).toContain(`"lab":"${LAB}"`);
    expect(JSON.parse(fs.readFileSync(path.join(running.dataDir, 'window-state.json'), 'utf8'))).toEqual({ bounds: { x: 40, y: 30, width: 1111, height: 777 }, maximized: false });
    expect(tray.isDestroyed()).toBe(true);
    // The core's log, written through to disk, ends with its shutdown.
    expect(fs.readFileSync(path.join(running.dataDir, 'logs', 'clab-publisher.jsonl'), 'utf8')).toContain('shutting down: closing tunnels and listeners');
    expect(running.logs.join('\n')).not.toMatch(/clean-up step failed|did not finish/);
    kept = running.dataDir;
  });

  it('the next start brings the tunnel back and opens the window where it was', async () => {
    expect(kept).toBeDefined();
    running = await startApp({ dockerLab: LAB, userData: kept });
    const { e } = running;
    const tray = await e.world.waitFor(() => e.trays[0], 'the tray icon');
    await e.world.waitFor(() => tray.toolTip === 'clab-publisher: 1/1 tunnel online', 'the saved publication online again', 30_000);
    const win = await running.mainWindow();
    expect(win.options).toMatchObject({ x: 40, y: 30, width: 1111, height: 777 });
  });
});

