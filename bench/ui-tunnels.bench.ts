/**
 * UI: the scale bench's frame-time measurement without its 200 containers. The real headless
 * host (dist-host) runs its real core, tunnels and counters against a stand-in Docker that
 * lists 1,000 publications' worth of containerlab nodes, each a Node echo server on a
 * 127.77.x.y address (bench/lib/synthetic-labs.ts); Chromium shows the Published ports table
 * while short connections through every tunnel keep the counters moving and the table is
 * scrolled. Target: no frame over 50 ms. Starts in seconds, so the renderer can be iterated on.
 * After each run an empty page is measured under the same connections: what this machine gives
 * any page at the time, so a loaded machine's long frames are told apart from the app's.
 *
 * BENCH_UI_BEFORE=<another build's dist-host/cli.js> measures that build too, interleaved in
 * the same run (before, after, before, after), for a before/after on a loaded machine.
 */
import fs from 'node:fs';
import { failed, result, type BenchResult } from './lib/result';
import { LABS, NODES_PER_LAB, PORTS } from './lib/scale-lab';
import { startSyntheticLabs } from './lib/synthetic-labs';
import { checkAborted } from './lib/procs';
import { FRAME_TARGET_MS, frameStats, measureTunnelRows, type RowsRun } from './lib/tunnel-rows-ui';
import { builtAt, CHROMIUM, CLI, INDEX } from './lib/ui-page';

const RATE = 200;
const MS = 10_000;

export default async function uiTunnels(): Promise<BenchResult[]> {
  const before = process.env.BENCH_UI_BEFORE;
  const name = `UI: frame times, ${(LABS * NODES_PER_LAB * PORTS.length).toLocaleString('en')} tunnel rows updating (stand-in Docker, echo nodes on 127.77/16)`;
  const target = `no frame over ${FRAME_TARGET_MS} ms`;
  const missing = [CLI, INDEX, CHROMIUM, ...(before ? [before] : [])].filter((f) => !fs.existsSync(f));
  if (missing.length) return [failed(name, 'ms (frame)', target, `skipped: ${missing.join(', ')} missing (run "npm run build"; Chromium from Debian's chromium package)`)];
  const prefix = `ut${process.pid}`;
  const labs = await startSyntheticLabs(prefix, PORTS.length);
  const env = { DOCKER_HOST: labs.dockerHost };
  const opts = { nodes: labs.nodes, publications: labs.publications, rowPrefix: prefix, env, rate: RATE, ms: MS };
  const runs: { after: RowsRun[]; before: RowsRun[] } = { after: [], before: [] };
  for (let round = 0; round < (before ? 2 : 1); round++) {
    checkAborted();
    if (before) runs.before.push(await measureTunnelRows({ ...opts, cli: before }));
    checkAborted();
    runs.after.push(await measureTunnelRows({ ...opts, floor: true }));
  }
  const all = (rs: RowsRun[]) => rs.flatMap((r) => r.frames);
  const f = frameStats(all(runs.after));
  const b = before ? frameStats(all(runs.before)) : undefined;
  const floor = frameStats(runs.after.flatMap((r) => r.floorFrames ?? []));
  const last = runs.after[runs.after.length - 1];
  const cpu = (rs: RowsRun[]) => rs.map((r) => r.rendererCpuMsPerS);
  return [
    result({
      name,
      unit: 'ms (frame)',
      app: f.max,
      baseline: b?.max ?? null,
      baselines: {
        p99: f.p99,
        p95: f.p95,
        p50: f.p50,
        ...(b ? { 'before: max': b.max, 'before: p99': b.p99, 'before: p95': b.p95, 'before: p50': b.p50 } : {}),
        'empty page, same load: max': floor.max,
        'empty page: p99': floor.p99,
      },
      target,
      met: f.max <= FRAME_TARGET_MS,
      note:
        `${f.count} frames in ${(runs.after.length * MS) / 1000} s, ${f.over50} over ${FRAME_TARGET_MS} ms (an empty page under the same load: ${floor.count} frames, ${floor.over50} over); ${last.sent.ok} connections through ${last.tunnels} tunnels (${last.sent.failed} failed); ${last.rowsInDom} tunnel rows in the DOM; renderer CPU ${cpu(runs.after).join('/')} ms/s` +
        (b ? `; before (${before}): ${b.count} frames, ${b.over50} over ${FRAME_TARGET_MS} ms, ${runs.before[0].rowsInDom} rows in the DOM, renderer CPU ${cpu(runs.before).join('/')} ms/s` : ''),
      details: {
        after: { ...f, rendererCpuMsPerS: cpu(runs.after), rowsInDom: runs.after.map((r) => r.rowsInDom), connections: runs.after.map((r) => r.sent) },
        emptyPage: floor,
        ...(b ? { before: { ...b, rendererCpuMsPerS: cpu(runs.before), cli: before, rowsInDom: runs.before.map((r) => r.rowsInDom), connections: runs.before.map((r) => r.sent) } } : {}),
        build: { distHost: builtAt(CLI), distRenderer: builtAt(INDEX) },
      },
    }),
  ];
}
