/**
 * Discovery: a lab container starts → its node is running (with an address) in the core's
 * labs.changed event. The real core (createCore, temp data folder) in this process, one
 * labelled container stopped and started 10 times, timed from the Docker start call. The
 * call's own duration is the baseline: the app cannot see the node before Docker has started
 * it, so app − baseline is what the core adds. Target p50 < 500 ms.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Lab } from '../shared/model';
import { createCore } from '../electron/core/app-core';
import { benchLab } from './lib/containers';
import { onCleanup } from './lib/procs';
import { benchTmp } from './lib/tmp';
import { failed, median, result, round, type BenchResult } from './lib/result';

const STARTS = 10;
const TARGET_MS = 500;

export default async function discovery(): Promise<BenchResult[]> {
  const name = 'discovery: container start → node running in labs.changed';
  const target = `p50 < ${TARGET_MS} ms`;
  try {
    const labName = `disc${process.pid}`;
    const lab = await benchLab({ lab: labName, nodes: [{ name: 'n1' }] });
    const dataDir = benchTmp('discovery');
    onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const core = createCore({ dataDir });
    onCleanup(() => core.dispose());
    let labs: Lab[] = [];
    const waiters = new Set<() => void>();
    core.events.on('labs.changed', (l) => {
      labs = l;
      for (const w of [...waiters]) w();
    });
    const node = () => labs.find((l) => l.name === labName)?.nodes.find((n) => n.name === 'n1');
    const until = (pred: () => boolean, what: string) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`timed out waiting for ${what}`))), 15_000);
        const check = () => {
          if (!pred()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(performance.now());
        };
        waiters.add(check);
        check();
      });
    await core.start();
    const listed = await core.dispatch('labs.list', {});
    if (listed.ok) labs = listed.result as Lab[];
    const running = () => node()?.state === 'running' && !!node()?.ipv4;
    await until(running, 'the node to be listed');
    const app: number[] = [];
    const docker: number[] = [];
    for (let i = 0; i <= STARTS; i++) {
      await lab.stop('n1');
      await until(() => !running(), 'the node to stop');
      const t0 = performance.now();
      const seen = until(running, 'the node to run again');
      await lab.start('n1');
      const apiDone = performance.now();
      const t1 = await seen;
      if (i === 0) continue; // warm-up
      app.push(t1 - t0);
      docker.push(apiDone - t0);
    }
    const p50 = median(app);
    return [
      result({
        name,
        unit: 'ms',
        app: round(p50, 1),
        baseline: round(median(docker), 1),
        baselines: { 'docker start API call returns': round(median(docker), 1) },
        target,
        met: p50 < TARGET_MS,
        note: `the core saw the node ${round(median(app.map((a, i) => a - docker[i])), 1)} ms (p50) after Docker's start call returned`,
        details: {
          afterDockerP50Ms: round(median(app.map((a, i) => a - docker[i])), 2),
          starts: STARTS, appMs: app.map((x) => round(x, 1)), dockerStartMs: docker.map((x) => round(x, 1)), maxMs: round(Math.max(...app), 1),
        },
      }),
    ];
  } catch (err) {
    return [failed(name, 'ms', target, err)];
  }
}
