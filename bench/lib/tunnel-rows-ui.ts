/**
 * The UI side of the scale scenario: the headless host with 1,000 tunnels in Chromium, the
 * Published ports table scrolled into view, frame times (rAF deltas) while short connections
 * through every tunnel keep the rows' counters moving and the user scrolls through the table.
 * Used by the scale bench (real containers) and the ui-tunnels bench (synthetic labs).
 */
import { startBenchHost } from './host-rpc';
import { atRate, pingOnce } from './net-load';
import { percentile, round } from './result';
import type { Browser } from '@playwright/test';
import { openPage, startFrames, stopFrames } from './ui-page';

export const FRAME_TARGET_MS = 50;

export interface RowsRun {
  frames: number[];
  /** Tunnel rows in the DOM at the end (all of them, or the window a virtual list keeps). */
  rowsInDom: number;
  tunnels: number;
  /** CPU time the renderer processes used per second of the measurement (load-independent, unlike frame times). */
  rendererCpuMsPerS: number | null;
  sent: { ok: number; failed: number; errors: Record<string, number> };
  /** With `floor`: an empty page's frame times afterwards, the app's page closed, under the same churn. */
  floorFrames?: number[];
}

export interface RowsOptions {
  /** Lab name → node names: the tunnels counted are those of these labs. */
  nodes: Record<string, string[]>;
  publications: number;
  /** Node names start with this: the rows' test ids are `tunnel-<node>-<port>`. */
  rowPrefix: string;
  env?: NodeJS.ProcessEnv;
  /** Another build's dist-host/cli.js (a before/after in the same run). */
  cli?: string;
  /** Connections per second through the tunnels while the frames are recorded, and how long. */
  rate: number;
  ms: number;
  /**
   * Also measure what this machine gives any page meanwhile: an empty page (the app's closed)
   * while the same connections go through the same host. On a loaded machine its frames are not
   * all under 50 ms either; the difference is what the app's page costs.
   */
  floor?: boolean;
}

export async function measureTunnelRows(o: RowsOptions): Promise<RowsRun> {
  const { host, rpc } = await startBenchHost({ env: o.env, cli: o.cli });
  try {
    const deadline = performance.now() + 60_000;
    let ports: number[] = [];
    for (;;) {
      const tunnels = await rpc.call('tunnels.list', {});
      ports = tunnels.flatMap((t) => (t.lab in o.nodes && t.state === 'online' && t.endpoint?.port ? [t.endpoint.port] : []));
      if (ports.length >= o.publications) break;
      if (performance.now() > deadline) throw new Error(`the host brought ${ports.length} of ${o.publications} tunnels online within 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const { browser, page } = await openPage(host.url);
    try {
      await page.locator('[data-testid="tunnels-table"]').waitFor({ timeout: 20_000 });
      await page.evaluate(`document.querySelector('[data-testid="tunnels-table"]').scrollIntoView({ block: 'start' })`);
      await new Promise((r) => setTimeout(r, 1000)); // the first full render is not what is measured
      const cpu0 = await rendererCpu(browser);
      const t0 = performance.now();
      await startFrames(page);
      // The user reads down the table meanwhile: 300 px every half second.
      const scroller = setInterval(() => void page.evaluate(`document.querySelector('main').scrollBy(0, 300)`).catch(() => undefined), 500);
      let sent: RowsRun['sent'];
      try {
        sent = await churnThrough(ports, o.rate, o.ms);
      } finally {
        clearInterval(scroller);
      }
      const frames = await stopFrames(page);
      const cpu1 = await rendererCpu(browser);
      const rendererCpuMsPerS = cpu0 === null || cpu1 === null ? null : round(((cpu1 - cpu0) * 1000) / ((performance.now() - t0) / 1000), 1);
      const rowsInDom = (await page.evaluate(`document.querySelectorAll('[data-testid^="tunnel-${o.rowPrefix}"]').length`)) as number;
      let floorFrames: number[] | undefined;
      if (o.floor) {
        await page.close();
        const blank = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await blank.goto('about:blank');
        await startFrames(blank);
        await churnThrough(ports, o.rate, o.ms);
        floorFrames = await stopFrames(blank);
      }
      return { frames, rowsInDom, tunnels: ports.length, rendererCpuMsPerS, sent, floorFrames };
    } finally {
      await browser.close();
    }
  } finally {
    rpc.close();
    await host.stop();
  }
}

/** CPU seconds of the renderer processes so far (the page's, and idle spares), from Chromium's process list; null if it cannot tell. */
async function rendererCpu(browser: Browser): Promise<number | null> {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    await cdp.detach();
    const renderers = processInfo.filter((p) => p.type === 'renderer');
    return renderers.length ? renderers.reduce((a, p) => a + p.cpuTime, 0) : null;
  } catch {
    return null;
  }
}

export function frameStats(frames: number[]): { max: number; p99: number; p95: number; p50: number; over50: number; over33: number; count: number } {
  return {
    max: round(Math.max(...frames)),
    p99: round(percentile(frames, 0.99)),
    p95: round(percentile(frames, 0.95)),
    p50: round(percentile(frames, 0.5)),
    over50: frames.filter((f) => f > FRAME_TARGET_MS).length,
    over33: frames.filter((f) => f > 33.4).length,
    count: frames.length,
  };
}

/** Short echo connections round-robin over `ports` at `perSecond` for `ms`, so every row's counters move. */
async function churnThrough(ports: number[], perSecond: number, ms: number): Promise<RowsRun['sent']> {
  let ok = 0;
  let bad = 0;
  const errors: Record<string, number> = {};
  await atRate(perSecond, ms, (i) =>
    pingOnce(ports[i % ports.length], 5000).then(
      () => void ok++,
      (err: Error) => {
        bad++;
        const what = err.message.replace(/\d+/g, 'N');
        errors[what] = (errors[what] ?? 0) + 1;
      },
    ),
  );
  return { ok, failed: bad, errors };
}
