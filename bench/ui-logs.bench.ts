/**
 * UI: the headless host (node dist-host/cli.js serve, from `npm run build`) in Debian's
 * Chromium. Log entries come from the core itself: a publication to a node that does not
 * exist, whose local listener logs one line per connection it has to close. Measures the
 * time until the viewer shows the last of 100,000 lines, and frame times (rAF deltas) while
 * 1,000 entries/s stream. Targets: the last line shown ≤ 1 s after the core logged it; no
 * frame over 50 ms while streaming. Skipped, with the reason, without a build or Chromium.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startBenchHost, type HostRpc } from './lib/host-rpc';
import { churn, churnAt, touchOnce } from './lib/net-load';
import { failed, percentile, result, round, type BenchResult } from './lib/result';
import { builtAt, CHROMIUM, CLI, INDEX, openPage, rowsSummary, startFrames, stopFrames, waitForRow } from './lib/ui-page';

const LINES = 100_000;
const PARALLEL = 16;
const STREAM_RATE = 1000;
const STREAM_MS = 10_000;

async function lastSeq(rpc: HostRpc): Promise<number> {
  const [e] = await rpc.call('logs.query', { limit: 1 });
  return e?.seq ?? 0;
}

/** The public port of the ghost publication, once its listener is up. */
async function endpointOf(rpc: HostRpc, id: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const t = (await rpc.call('tunnels.list', {})).find((x) => x.id === id);
    if (t?.endpoint?.port) return t.endpoint.port;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the publication got no local listener within 10 s');
}

export default async function uiLogs(): Promise<BenchResult[]> {
  const nameA = `UI: ${LINES.toLocaleString('en')} log lines → last one shown`;
  const nameB = `UI: frame times while ${STREAM_RATE} log entries/s stream`;
  const missing = [CLI, INDEX, CHROMIUM].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    const reason = `skipped: ${missing.join(', ')} missing (run "npm run build"; Chromium from Debian's chromium package)`;
    console.error(`bench ui-logs ${reason}`);
    return [failed(nameA, 'ms', 'last line ≤ 1,000 ms after the core logged it', reason), failed(nameB, 'ms', 'no frame over 50 ms', reason)];
  }
  try {
    const { host, rpc } = await startBenchHost();
    const { id } = await rpc.call('publications.add', { lab: 'uibench', node: 'absent', port: 7, type: 'tcp', provider: 'local' });
    const port = await endpointOf(rpc, id);
    const { page } = await openPage(host.url);

    // A: 100,000 lines as fast as the core logs them; done when the viewer shows the last.
    const seq0 = await lastSeq(rpc);
    await startFrames(page);
    const t0 = performance.now();
    await churn(port, LINES - 1, PARALLEL);
    const marker = await touchOnce(port);
    const logged = performance.now();
    let shownAt: number;
    try {
      await waitForRow(page, `127.0.0.1:${marker}`, 120_000);
      shownAt = performance.now();
    } catch (err) {
      throw new Error(`the viewer never showed the last line (127.0.0.1:${marker}): ${(err as Error).message}; rows now: ${JSON.stringify(await rowsSummary(page))}`);
    }
    const burstFrames = await stopFrames(page);
    const linesA = (await lastSeq(rpc)) - seq0;
    const lagMs = shownAt - logged;

    // B: a steady 1,000 entries/s for 10 s, frames recorded meanwhile.
    await new Promise((r) => setTimeout(r, 1000));
    const seq1 = await lastSeq(rpc);
    await startFrames(page);
    const opened = await churnAt(port, STREAM_RATE, STREAM_MS);
    const frames = await stopFrames(page);
    const linesB = (await lastSeq(rpc)) - seq1;
    const maxFrame = Math.max(...frames);
    const build = { distHost: builtAt(CLI), distRenderer: builtAt(INDEX) };
    return [
      result({
        name: nameA,
        unit: 'ms',
        app: round(shownAt - t0),
        baseline: round(logged - t0),
        baselines: { 'core logs them all (generation)': round(logged - t0) },
        target: 'last line shown ≤ 1,000 ms after the core logged it',
        met: lagMs <= 1000,
        note: `last line shown ${Math.round(lagMs)} ms after the core logged it; the core logged ${Math.round(linesA / ((logged - t0) / 1000)).toLocaleString('en')} lines/s; max frame ${Math.round(Math.max(...burstFrames))} ms meanwhile`,
        details: { lagAfterCoreMs: round(lagMs), coreEntries: linesA, linesPerSecond: Math.round(linesA / ((logged - t0) / 1000)), maxFrameMsDuringBurst: round(Math.max(...burstFrames)), rowsInDom: (await rowsSummary(page)).rows, build },
      }),
      result({
        name: nameB,
        unit: 'ms (frame)',
        app: round(maxFrame),
        baselines: { p99: round(percentile(frames, 0.99)), p50: round(percentile(frames, 0.5)) },
        target: 'no frame over 50 ms',
        met: maxFrame <= 50,
        note: `${frames.length} frames in ${STREAM_MS / 1000} s, ${frames.filter((f) => f > 50).length} over 50 ms; ${linesB.toLocaleString('en')} entries`,
        details: { frames: frames.length, over50ms: frames.filter((f) => f > 50).length, over33ms: frames.filter((f) => f > 33.4).length, connections: opened, coreEntries: linesB, seconds: STREAM_MS / 1000 },
      }),
    ];
  } catch (err) {
    return [failed(nameA, 'ms', 'last line ≤ 1,000 ms after the core logged it', err), failed(nameB, 'ms', 'no frame over 50 ms', err)];
  }
}
