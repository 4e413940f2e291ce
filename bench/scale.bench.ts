/**
 * Scale: 10 labs × 20 real containers, each lab's topology file publishing 5 ports of every
 * node, so a core that starts sees 1,000 publications on 200 nodes (auto-publish, local
 * provider). Measured:
 * - the real core (createCore, bundled, plain node, in a child): core.start() → all 1,000
 *   tunnels online (target < 3 s), with the time Docker's listing took as the baseline and an
 *   echo through the first and last tunnel (and straight to the node) proving they forward;
 * - its RSS after a GC with the 1,000 tunnels idle (target < 300 MB);
 * - the UI: the headless host (dist-host) with the same 1,000 tunnels in Chromium, frame
 *   times (rAF deltas) while short connections through the tunnels keep every row's
 *   counters moving (target: no frame over 50 ms). Skipped, with the reason, without a build
 *   or Chromium.
 * The containers are made once for the three, in bounded batches, and removed at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundle } from './lib/bundle';
import { pingOnce } from './lib/net-load';
import { checkAborted, onCleanup, TsChild } from './lib/procs';
import { failed, result, round, type BenchResult } from './lib/result';
import { LABS, NODES_PER_LAB, PORTS, startScaleLabs, type ScaleLabs } from './lib/scale-lab';
import { benchTmp } from './lib/tmp';
import { FRAME_TARGET_MS, frameStats, measureTunnelRows } from './lib/tunnel-rows-ui';
import { builtAt, CHROMIUM, CLI, INDEX } from './lib/ui-page';

const ONLINE_TARGET_MS = 3000;
const RSS_TARGET_MB = 300;
const IDLE_MS = 5000;
/** Connections per second through the tunnels while the UI is watched, and for how long. */
const UI_RATE = 200;
const UI_MS = 10_000;

type Memory = { rss: number; heapUsed: number; external: number };
type Endpoint = { lab: string; node: string; port: number; public?: number };
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

const PUBS = LABS * NODES_PER_LAB * PORTS.length;
const NAMES = {
  online: `scale: ${PUBS.toLocaleString('en')} publications on ${LABS * NODES_PER_LAB} nodes in ${LABS} labs → all tunnels online`,
  memory: `scale: core RSS with ${PUBS.toLocaleString('en')} idle tunnels`,
  ui: `scale: UI frame times, ${PUBS.toLocaleString('en')} tunnel rows updating`,
};

export default async function scale(): Promise<BenchResult[]> {
  let labs: ScaleLabs;
  try {
    labs = await startScaleLabs(`sc${process.pid}`);
  } catch (err) {
    return [failed(NAMES.online, 'ms', `< ${ONLINE_TARGET_MS} ms`, err), failed(NAMES.memory, 'MB', `< ${RSS_TARGET_MB} MB`, err), failed(NAMES.ui, 'ms', `no frame over ${FRAME_TARGET_MS} ms`, err)];
  }
  const out: BenchResult[] = [];
  try {
    out.push(...(await coreRun(labs)));
  } catch (err) {
    out.push(failed(NAMES.online, 'ms', `< ${ONLINE_TARGET_MS} ms`, err), failed(NAMES.memory, 'MB', `< ${RSS_TARGET_MB} MB`, err));
  }
  checkAborted();
  try {
    out.push(await uiRun(labs));
  } catch (err) {
    out.push(failed(NAMES.ui, 'ms (frame)', `no frame over ${FRAME_TARGET_MS} ms`, err));
  }
  return out;
}

export async function coreRun(labs: ScaleLabs): Promise<BenchResult[]> {
  const dataDir = benchTmp('core');
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const b = bundle(path.join(__dirname, 'lib', 'core-child.ts'));
  const child = new TsChild(b.file, [JSON.stringify({ dataDir, labs: labs.nodes, tunnels: labs.publications, timeoutMs: 60_000 })], { tsx: false, env: b.env, nodeArgs: ['--expose-gc'] });
  try {
    const on = await child.next<{ type: 'online'; beforeCore: Memory; online: Memory; listedMs: number | null; onlineMs: number; endpoints: Endpoint[] }>('online', 90_000);
    // Through the first and last tunnel and straight to their nodes, at the same moment.
    const ends = [on.endpoints[0], on.endpoints[on.endpoints.length - 1]];
    const ips = await Promise.all(ends.map((e) => labs.ip(e.lab, e.node)));
    const echo = async () => {
      const tunnel: number[] = [];
      const direct: number[] = [];
      for (const [i, e] of ends.entries()) {
        const [t, d] = await Promise.all([pingOnce(e.public!), pingOnce(e.port, 10_000, ips[i])]);
        tunnel.push(round(t, 2));
        direct.push(round(d, 2));
      }
      return { tunnel, direct };
    };
    const atOnline = await echo();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = await child.request<{ type: 'memory'; loopDelayMs: { max: number; p99: number } } & Memory>({ type: 'memory' }, 'memory');
    const afterIdle = await echo();
    const listed = on.listedMs === null ? null : round(on.listedMs, 1);
    return [
      result({
        name: NAMES.online,
        unit: 'ms',
        app: round(on.onlineMs, 1),
        baseline: listed,
        baselines: { 'every node listed running (Docker listing, inside the same time)': listed },
        target: `< ${ONLINE_TARGET_MS} ms from core.start()`,
        met: on.onlineMs < ONLINE_TARGET_MS,
        note: `${on.endpoints.length} tunnels; labs listed after ${Math.round(on.listedMs ?? NaN)} ms; first/last tunnel echo ${atOnline.tunnel.map(Math.round).join('/')} ms right after (direct ${atOnline.direct.map(Math.round).join('/')} ms), ${afterIdle.tunnel.join('/')} ms after ${IDLE_MS / 1000} s idle; core loop delay max ${Math.round(idle.loopDelayMs.max)} ms`,
        details: {
          tunnels: on.endpoints.length,
          labs: LABS,
          nodes: LABS * NODES_PER_LAB,
          echoThroughFirstAndLastTunnelMs: { online: atOnline.tunnel, onlineDirect: atOnline.direct, afterIdle: afterIdle.tunnel, afterIdleDirect: afterIdle.direct },
          coreEventLoopDelayMs: { max: round(idle.loopDelayMs.max, 1), p99: round(idle.loopDelayMs.p99, 1) },
          createContainersMs: round(labs.createMs),
        },
      }),
      result({
        name: NAMES.memory,
        unit: 'MB (MiB)',
        app: mb(idle.rss),
        baseline: mb(on.beforeCore.rss),
        baselines: { 'modules loaded, before createCore': mb(on.beforeCore.rss), 'right when all came online': mb(on.online.rss) },
        target: `< ${RSS_TARGET_MB} MB absolute`,
        met: idle.rss / 1024 / 1024 < RSS_TARGET_MB,
        note: `+${mb(idle.rss - on.beforeCore.rss)} MB for the core and ${PUBS} tunnels; heap ${mb(idle.heapUsed)} MB after ${IDLE_MS / 1000} s idle`,
        details: { heapUsedMB: { beforeCore: mb(on.beforeCore.heapUsed), online: mb(on.online.heapUsed), idle: mb(idle.heapUsed) }, externalMB: mb(idle.external), idleMs: IDLE_MS },
      }),
    ];
  } finally {
    await child.stop();
  }
}

export async function uiRun(labs: ScaleLabs): Promise<BenchResult> {
  const target = `no frame over ${FRAME_TARGET_MS} ms`;
  const missing = [CLI, INDEX, CHROMIUM].filter((f) => !fs.existsSync(f));
  if (missing.length) return failed(NAMES.ui, 'ms (frame)', target, `skipped: ${missing.join(', ')} missing (run "npm run build"; Chromium from Debian's chromium package)`);
  // The host's own core auto-publishes the same 1,000 entries.
  const run = await measureTunnelRows({ nodes: labs.nodes, publications: labs.publications, rowPrefix: `sc${process.pid}`, rate: UI_RATE, ms: UI_MS });
  const f = frameStats(run.frames);
  return result({
    name: NAMES.ui,
    unit: 'ms (frame)',
    app: f.max,
    baselines: { p99: f.p99, p95: f.p95, p50: f.p50 },
    target,
    met: f.max <= FRAME_TARGET_MS,
    note: `${f.count} frames in ${UI_MS / 1000} s, ${f.over50} over ${FRAME_TARGET_MS} ms; ${run.sent.ok} connections through ${run.tunnels} tunnels (${run.sent.failed} failed); ${run.rowsInDom} tunnel rows in the DOM; renderer CPU ${run.rendererCpuMsPerS} ms/s`,
    details: { frames: f.count, over50ms: f.over50, over33ms: f.over33, tunnelRowsInDom: run.rowsInDom, rendererCpuMsPerS: run.rendererCpuMsPerS, connections: run.sent, build: { distHost: builtAt(CLI), distRenderer: builtAt(INDEX) } },
  });
}
