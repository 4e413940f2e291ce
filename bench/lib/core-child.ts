/**
 * A child process running the real core (createCore, temp data folder, the machine's
 * Docker), bundled and run by plain node with --expose-gc so its memory is the core's.
 * argv[2]: JSON {dataDir, labs: {lab: nodes[]}, tunnels}. It starts the core at once and
 * answers `online` when labs.list shows every node running (`listedMs`) and `tunnels` tunnels
 * are online (`onlineMs`), both counted from core.start(); the publications come from the
 * labs' topology files (auto-publish). `memory` → RSS after a GC and the event-loop delay
 * since the start; `stop` disposes the core.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Lab, Tunnel } from '../../shared/model';
import { createCore } from '../../electron/core/app-core';
import { reply, type Message } from './procs';

interface CoreChildConfig {
  dataDir: string;
  labs: Record<string, string[]>;
  tunnels: number;
  timeoutMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function memory(): { rss: number; heapUsed: number; external: number } {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const cfg = JSON.parse(process.argv[2]) as CoreChildConfig;
  const beforeCore = memory();
  const core = createCore({ dataDir: cfg.dataDir });
  const listed = (labs: Lab[]) =>
    Object.entries(cfg.labs).every(([name, nodes]) => {
      const lab = labs.find((l) => l.name === name);
      return !!lab && nodes.every((n) => lab.nodes.some((x) => x.name === n && x.state === 'running' && x.ipv4));
    });
  // Event-loop delay from the start on: shows whether the core was busy (and for how long).
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let listedAt = 0;
  let last: Tunnel[] = [];
  const online = new Promise<number>((resolve) => {
    core.events.on('labs.changed', (labs) => {
      if (!listedAt && listed(labs)) listedAt = performance.now();
    });
    core.events.on('tunnels.changed', (all) => {
      // The shared Docker may hold other labs (other tests'): only ours count.
      const tunnels = all.filter((t) => t.lab in cfg.labs);
      last = tunnels;
      if (tunnels.length >= cfg.tunnels && tunnels.every((t) => t.state === 'online')) resolve(performance.now());
    });
  });
  loop.enable();
  const t0 = performance.now();
  const timer = setTimeout(() => {
    const states = last.reduce<Record<string, number>>((acc, t) => ((acc[t.state] = (acc[t.state] ?? 0) + 1), acc), {});
    reply({ type: 'error', message: `not all ${cfg.tunnels} tunnels online after ${cfg.timeoutMs / 1000} s (labs listed: ${!!listedAt}): ${JSON.stringify(states)}` });
  }, cfg.timeoutMs);
  await core.start();
  const onlineAt = await online;
  clearTimeout(timer);
  const started = memory();
  reply({
    type: 'online',
    beforeCore,
    online: started,
    listedMs: listedAt ? listedAt - t0 : null,
    onlineMs: onlineAt - t0,
    endpoints: last.map((t) => ({ lab: t.lab, node: t.node, port: t.port, public: t.endpoint?.port })),
  });

  process.on('message', (m: Message) => {
    void handle(m).catch((err: Error) => reply({ type: 'error', message: err.message }));
  });

  async function handle(m: Message): Promise<void> {
    if (m.type === 'memory') {
      loop.disable();
      return reply({ type: 'memory', ...memory(), loopDelayMs: { max: loop.max / 1e6, p99: loop.percentile(99) / 1e6 } });
    }
    if (m.type === 'stop') {
      await core.dispose();
      process.exit(0);
    }
  }
}

main().catch((err: Error) => {
  reply({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
