/**
 * The main window's size and position across starts, kept in `window-state.json` in the app's
 * data folder. Pure Node (no `electron`): main-window.ts feeds it the displays. A saved place
 * that is off every display now (a monitor unplugged) is moved onto the nearest one, or the
 * window is centred; a damaged file is ignored, never fatal.
 */
import path from 'node:path';
import { readSmallFile, writeFileAtomic } from './small-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export interface WindowPlacement {
  /** Absent: let the window manager centre it. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
const MAX_STATE_BYTES = 4096;
/** How much of the window's top strip must be on a display to count as visible (to grab it). */
const MIN_VISIBLE = { width: 120, height: 40 };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6;

/** The saved state, or undefined (none yet, unreadable, or not what we wrote). */
export async function loadWindowState(dataDir: string, log: (m: string) => void = () => {}): Promise<WindowState | undefined> {
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  try {
    const text = await readSmallFile(file, MAX_STATE_BYTES);
    return text === undefined ? undefined : parseWindowState(JSON.parse(text));
  } catch (err) {
    log(`[window] ignoring ${file}: ${(err as Error).message}`);
    return undefined;
  }
}

export function parseWindowState(v: unknown): WindowState {
  const o = v as { bounds?: Partial<Rect>; maximized?: unknown } | null;
  const b = o?.bounds;
  if (!b || !isInt(b.x) || !isInt(b.y) || !isInt(b.width) || !isInt(b.height) || b.width <= 0 || b.height <= 0) throw new Error('no valid bounds');
  return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: o?.maximized === true };
}

export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(path.join(dataDir, WINDOW_STATE_FILE), `${JSON.stringify(state)}\n`, 0o600);
}

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
}

/**
 * Where to open the window: the saved bounds when their top strip is on a display, shrunk to
 * that display's work area and moved fully onto it; otherwise the saved size (shrunk to the
 * primary display) without a position. `workAreas[0]` is the primary display.
 */
export function placeWindow(saved: WindowState | undefined, workAreas: Rect[], defaults: { width: number; height: number; minWidth: number; minHeight: number }): WindowPlacement {
  const primary = workAreas[0];
  const fit = (size: number, min: number, max: number) => Math.max(Math.min(size, max), Math.min(min, max));
  if (!saved) {
    return { width: primary ? fit(defaults.width, defaults.minWidth, primary.width) : defaults.width, height: primary ? fit(defaults.height, defaults.minHeight, primary.height) : defaults.height, maximized: false };
  }
  const b = saved.bounds;
  const topStrip: Rect = { x: b.x, y: b.y, width: b.width, height: Math.min(b.height, MIN_VISIBLE.height) };
  const host = workAreas
    .map((area) => ({ area, seen: overlap(topStrip, area) }))
    .filter(({ seen }) => seen.width >= Math.min(MIN_VISIBLE.width, b.width) && seen.height >= Math.min(MIN_VISIBLE.height, b.height))
    .sort((p, q) => q.seen.width * q.seen.height - p.seen.width * p.seen.height)[0]?.area;
  if (!host) {
    const width = primary ? fit(b.width, defaults.minWidth, primary.width) : b.width;
    const height = primary ? fit(b.height, defaults.minHeight, primary.height) : b.height;
    return { width, height, maximized: saved.maximized };
  }
  const width = fit(b.width, defaults.minWidth, host.width);
  const height = fit(b.height, defaults.minHeight, host.height);
  const x = Math.min(Math.max(b.x, host.x), host.x + host.width - width);
  const y = Math.min(Math.max(b.y, host.y), host.y + host.height - height);
  return { x, y, width, height, maximized: saved.maximized };
}
