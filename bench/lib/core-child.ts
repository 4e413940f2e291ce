/**
 * A child process running the real core (createCore, temp data folder, the machine's
 * Docker), bundled and run by plain node with --expose-gc so its memory is the core's.
 * argv[2]: JSON {dataDir, lab, nodes}. Messages: `started` once labs.list shows every node
 * running; `publish` {ports} → `online` with timings once every tunnel is online; `memory`
 * → RSS after a GC and the event-loop delay since the publish; `stop` disposes the core.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Lab, Tunnel } from '../../shared/model';
import { createCore } from '../../electron/core/app-core';
import { reply, type Message } from './procs';

interface CoreChildConfig {
  dataDir: string;
  lab: string;
  nodes: string[];
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
  const labReady = (labs: Lab[]) => {
    const lab = labs.find((l) => l.name === cfg.lab);
    return !!lab && cfg.nodes.every((n) => lab.nodes.some((x) => x.name === n && x.state === 'running' && x.ipv4));
  };
  const ready = new Promise<void>((resolve) => {
    const off = core.events.on('labs.changed', (labs) => {
      if (labReady(labs)) {
        off();
        resolve();
      }
    });
  });
  await core.start();
  const now = await core.dispatch('labs.list', {});
  if (!(now.ok && labReady(now.result as Lab[]))) await ready;
  reply({ type: 'started', beforeCore, started: memory() });

  process.on('message', (m: Message) => {
    void handle(m).catch((err: Error) => reply({ type: 'error', message: err.message }));
  });

  // Event-loop delay from the publish on: shows whether the core was busy (and for how long).
  const loop = monitorEventLoopDelay({ resolution: 10 });

  async function handle(m: Message): Promise<void> {
    if (m.type === 'memory') {
      loop.disable();
      return reply({ type: 'memory', ...memory(), loopDelayMs: { max: loop.max / 1e6, p99: loop.percentile(99) / 1e6 } });
    }
    if (m.type === 'stop') {
      await core.dispose();
      process.exit(0);
    }
    if (m.type !== 'publish') return;
    const ports = m.ports as number[];
    const want = cfg.nodes.length * ports.length;
    let last: Tunnel[] = [];
    const online = new Promise<number>((resolve) => {
      const off = core.events.on('tunnels.changed', (tunnels) => {
        last = tunnels;
        if (tunnels.length === want && tunnels.every((t) => t.state === 'online')) {
          off();
          resolve(performance.now());
        }
      });
    });
    loop.enable();
    const t0 = performance.now();
    const answers = await Promise.all(cfg.nodes.flatMap((node) => ports.map((port) => core.dispatch('publications.add', { lab: cfg.lab, node, port, type: 'tcp', provider: 'local' }))));
    const requested = performance.now();
    const refused = answers.filter((a) => !a.ok);
    if (refused.length) throw new Error(`${refused.length} publications.add refused: ${JSON.stringify(refused[0])}`);
    const timer = setTimeout(() => {
      const states = last.reduce<Record<string, number>>((acc, t) => ((acc[t.state] = (acc[t.state] ?? 0) + 1), acc), {});
      reply({ type: 'error', message: `not all ${want} tunnels online after 30 s: ${JSON.stringify(states)}` });
    }, 30_000);
    const done = await online;
    clearTimeout(timer);
    reply({
      type: 'online',
      requestedMs: requested - t0,
      onlineMs: done - t0,
      endpoints: last.map((t) => ({ node: t.node, port: t.port, public: t.endpoint?.port })),
    });
  }
}

main().catch((err: Error) => {
  reply({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
