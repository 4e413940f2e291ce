import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWindowState, placeWindow, saveWindowState, WINDOW_STATE_FILE, type Rect } from './window-state';

const DEFAULTS = { width: 1280, height: 820, minWidth: 900, minHeight: 560 };
const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it('opens at the default size, centred, the first time', () => {
    expect(placeWindow(undefined, [laptop], DEFAULTS)).toEqual({ width: 1280, height: 820, maximized: false });
    // A small screen shrinks even the default, never below what fits.
    expect(placeWindow(undefined, [{ x: 0, y: 0, width: 1024, height: 600 }], DEFAULTS)).toEqual({ width: 1024, height: 600, maximized: false });
  });

  it('puts the window back where it was on a display that is still there', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(placeWindow(saved, [laptop, rightMonitor], DEFAULTS)).toEqual({ x: 2100, y: 100, width: 1400, height: 900, maximized: true });
  });

  it('drops the position when its display is gone (monitor unplugged), keeping a size that fits', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 2400, height: 1300 }, maximized: false };
    expect(placeWindow(saved, [laptop], DEFAULTS)).toEqual({ width: 1920, height: 1050, maximized: false });
  });

  it('pulls a window hanging off the edge fully onto its display and shrinks it to the work area', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1000, height: 2000 }, maximized: false };
    expect(placeWindow(saved, [laptop], DEFAULTS)).toEqual({ x: 920, y: 0, width: 1000, height: 1050, maximized: false });
  });

  it('does not count a title bar hidden above the screen as visible', () => {
    const saved = { bounds: { x: 100, y: -900, width: 1000, height: 1000 }, maximized: false };
    expect(placeWindow(saved, [laptop], DEFAULTS).x).toBeUndefined();
  });
});

describe('window-state.json', () => {
  let dir: string;
  const logged: string[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-publisher-window-state-'));
    logged.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = () => path.join(dir, WINDOW_STATE_FILE);

  it('round-trips and leaves no temporary file', async () => {
    await saveWindowState(dir, { bounds: { x: -50, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(await loadWindowState(dir)).toEqual({ bounds: { x: -50, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(fs.readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
  });

  it('is quiet when there is none yet', async () => {
    expect(await loadWindowState(dir, (m) => logged.push(m))).toBeUndefined();
    expect(logged).toEqual([]);
  });

  it.each([
    ['junk', 'not json'],
    ['a wrong shape', JSON.stringify({ bounds: { x: 'a' } })],
    ['a zero size', JSON.stringify({ bounds: { x: 0, y: 0, width: 0, height: 10 } })],
    ['a huge file', `{"bounds":{"x":0,"y":0,"width":10,"height":10},"pad":"${'x'.repeat(10_000)}"}`],
  ])('ignores %s and says which file', async (_what, body) => {
    fs.writeFileSync(file(), body);
    expect(await loadWindowState(dir, (m) => logged.push(m))).toBeUndefined();
    expect(logged.join('\n')).toContain(file());
  });

  it('neither follows a symlink nor waits on a FIFO planted in its place', async () => {
    const elsewhere = path.join(dir, 'elsewhere.json');
    fs.writeFileSync(elsewhere, JSON.stringify({ bounds: { x: 1, y: 2, width: 300, height: 300 }, maximized: false }));
    fs.symlinkSync(elsewhere, file());
    expect(await loadWindowState(dir, (m) => logged.push(m))).toBeUndefined();
    fs.rmSync(file());
    execFileSync('mkfifo', [file()]);
    // Without O_NONBLOCK this open would wait for a writer forever (and the test time out).
    expect(await loadWindowState(dir, (m) => logged.push(m))).toBeUndefined();
    expect(logged).toHaveLength(2);
  });
});
