/**
 * The real-core scenario shared by the reconcile and memory benches (one set of containers
 * for both): 50 labelled containers, the core in a child process, 100 publications, then
 * idle. Containers, network, child and data folder are removed before it returns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLab, type TestLab } from '../../test-support/lab-containers';
import { bundle } from './bundle';
import { pingOnce } from './net-load';
import { onCleanup, TsChild } from './procs';
import { benchTmp } from './tmp';

export const NODES = 50;
export const PORTS = [7, 8080];
const IDLE_MS = 5000;
const PARALLEL = 5;

type Memory = { rss: number; heapUsed: number; external: number };

export interface CoreScenario {
  containers: number;
  createContainersMs: number;
  publications: number;
  requestedMs: number;
  onlineMs: number;
  /** Echo round trips through the first and last tunnel, proving they forward: right after
   * they came online, again after the idle time, and straight to the containers (no tunnel). */
  echoMs: { online: number[]; onlineDirect: number[]; afterIdle: number[]; direct: number[] };
  memory: { beforeCore: Memory; started: Memory; idleTunnels: Memory; idleMs: number };
  /** The core's event-loop delay from the publish to the end of the idle time. */
  loopDelayMs: { max: number; p99: number };
}

let memo: Promise<CoreScenario> | undefined;

export function coreScenario(): Promise<CoreScenario> {
  memo ??= run();
  return memo;
}

/** 50 nodes created in parallel batches on one lab network (startLab alone is sequential). */
async function startBigLab(name: string): Promise<{ labs: TestLab[]; nodes: string[]; remove(): Promise<void> }> {
  const nodes = Array.from({ length: NODES }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
  const labs: TestLab[] = [];
  const remove = async () => {
    // The first lab created the network: it goes last.
    await Promise.all(labs.slice(1).map((l) => l.remove()));
    await labs[0]?.remove();
  };
  const unregister = onCleanup(remove);
  try {
    labs.push(await startLab({ lab: name, nodes: [{ name: nodes[0] }] }));
    const rest = nodes.slice(1);
    const size = Math.ceil(rest.length / PARALLEL);
    const batches = Array.from({ length: PARALLEL }, (_, i) => rest.slice(i * size, (i + 1) * size)).filter((b) => b.length);
    const settled = await Promise.allSettled(batches.map((b) => startLab({ lab: name, nodes: b.map((n) => ({ name: n })), network: labs[0].network })));
    for (const s of settled) if (s.status === 'fulfilled') labs.push(s.value);
    const failedBatch = settled.find((s) => s.status === 'rejected');
    if (failedBatch) throw (failedBatch as PromiseRejectedResult).reason;
  } catch (err) {
    await remove();
    unregister();
    throw err;
  }
  return {
    labs,
    nodes,
    remove: async () => {
      unregister();
      await remove();
    },
  };
}

async function run(): Promise<CoreScenario> {
  const labName = `bench${process.pid}`;
  const t0 = performance.now();
  const lab = await startBigLab(labName);
  const createContainersMs = performance.now() - t0;
  const dataDir = benchTmp('core');
  const removeDir = onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  try {
    const b = bundle(path.join(__dirname, 'core-child.ts'));
    const child = new TsChild(b.file, [JSON.stringify({ dataDir, lab: labName, nodes: lab.nodes })], { tsx: false, env: b.env, nodeArgs: ['--expose-gc'] });
    const started = await child.next<{ type: 'started'; beforeCore: Memory; started: Memory }>('started', 60_000);
    const online = await child.request<{ type: 'online'; requestedMs: number; onlineMs: number; endpoints: { node: string; port: number; public?: number }[] }>(
      { type: 'publish', ports: PORTS },
      'online',
      40_000,
    );
    const ends = [online.endpoints[0], online.endpoints[online.endpoints.length - 1]];
    const ips = await Promise.all(ends.map((e) => lab.labs.find((l) => l.containers.some((c) => c.node === e.node))!.ip(e.node)));
    // Through the tunnel and straight to the container at the same moment: whose delay is it?
    const echo = async () => {
      const tunnel = [];
      const direct = [];
      for (const [i, e] of ends.entries()) {
        const [t, d] = await Promise.all([pingOnce(e.public!), pingOnce(e.port, 10_000, ips[i])]);
        tunnel.push(t);
        direct.push(d);
      }
      return { tunnel, direct };
    };
    const atOnline = await echo();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = await child.request<{ type: 'memory'; loopDelayMs: { max: number; p99: number } } & Memory>({ type: 'memory' }, 'memory');
    const afterIdle = await echo();
    const echoMs = { online: atOnline.tunnel, onlineDirect: atOnline.direct, afterIdle: afterIdle.tunnel, direct: afterIdle.direct };
    await child.stop();
    return {
      containers: lab.nodes.length,
      createContainersMs,
      publications: online.endpoints.length,
      requestedMs: online.requestedMs,
      onlineMs: online.onlineMs,
      echoMs,
      loopDelayMs: idle.loopDelayMs,
      memory: { beforeCore: started.beforeCore, started: started.started, idleTunnels: { rss: idle.rss, heapUsed: idle.heapUsed, external: idle.external }, idleMs: IDLE_MS },
    };
  } finally {
    await lab.remove();
    removeDir();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
