/**
 * The page side of the UI bench: Debian's Chromium through Playwright, the log viewer found
 * by its data-testids (logs-panel, log-row; the viewer is being rebuilt, so nothing else is
 * assumed), and a requestAnimationFrame recorder for frame times.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { onCleanup } from './procs';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');
/** The headless host and the renderer as `npm run build` leaves them. */
export const CLI = path.join(ROOT, 'dist-host', 'cli.js');
export const INDEX = path.join(ROOT, 'dist-renderer', 'index.html');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function openPage(url: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  onCleanup(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.locator('[data-testid="logs-panel"]').first().waitFor({ timeout: 20_000 });
  // A collapsed panel has a toggle saying so: open it, so rows are rendered.
  const toggle = page.locator('[data-testid="logs-toggle"]').first();
  if ((await toggle.count()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  return { browser, page };
}

/** Resolves when a log row names `from` (`127.0.0.1:<port>`); checked every frame. */
// page.evaluate takes its scripts as strings: tsx (esbuild keepNames) would wrap named inner
// functions in a `__name` helper the page does not have. waitForFunction cannot take a
// string (the app's CSP forbids eval), so its function has no named inner function.

/** Resolves when a log row names `from` (`127.0.0.1:<port>`); checked every frame. */
export async function waitForRow(page: Page, from: string, timeoutMs: number): Promise<void> {
  const pattern = `${from.replace(/\./g, '\\.')}(?!\\d)`;
  await page.waitForFunction(
    (source: string) => {
      const re = new RegExp(source);
      return Array.from(document.querySelectorAll('[data-testid="log-row"]')).some((r) => re.test(r.textContent ?? ''));
    },
    pattern,
    { timeout: timeoutMs, polling: 'raf' },
  );
}

export async function rowsSummary(page: Page): Promise<{ rows: number; last?: string }> {
  return page.evaluate(`(() => {
    const rows = document.querySelectorAll('[data-testid="log-row"]');
    const last = rows[rows.length - 1];
    return { rows: rows.length, last: last ? (last.textContent || '').slice(0, 200) : undefined };
  })()`);
}

export function startFrames(page: Page): Promise<void> {
  return page.evaluate(`(() => {
    window.__frames = [];
    window.__framesOn = true;
    let last = performance.now();
    const loop = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__framesOn) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  })()`);
}

/** Frame-to-frame deltas (ms) since startFrames; the first (partial) one dropped. */
export function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate(`(() => {
    window.__framesOn = false;
    return window.__frames.slice(1);
  })()`);
}

export function builtAt(file: string): string | undefined {
  try {
    return fs.statSync(file).mtime.toISOString();
  } catch {
    return undefined;
  }
}
