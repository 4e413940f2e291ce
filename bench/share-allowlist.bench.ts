/**
 * A source allow-list on the accept path: 200 connections (connect, send 1 byte, read it back,
 * close) through a shared port whose share allows 1,000 CIDRs (the match last, so every check
 * walks them all), interleaved with the same through a shared port with no rule and one not
 * shared, all in one app process over the local provider. Target: p50 with the list within
 * 10 % of the p50 without (ratio ≤ 1.10).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundle } from './lib/bundle';
import { pingOnce, startNodeServers } from './lib/net-load';
import { onCleanup, TsChild } from './lib/procs';
import { failed, median, percentile, result, round, type BenchResult } from './lib/result';
import type { ShareForwarderConfig } from './lib/share-forwarder-child';
import { benchTmp } from './lib/tmp';

const COUNT = 200;
const WARMUP = 20;
const CIDRS = 1000;

export default async function shareAllowlist(): Promise<BenchResult[]> {
  const name = `connect p50 through a shared port: ${CIDRS}-CIDR allow-list vs no list`;
  const target = 'p50 with the list ≤ 1.10× p50 without';
  try {
    const nodes = await startNodeServers();
    const dataDir = benchTmp('share-allowlist');
    onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const cfg: ShareForwarderConfig = { dataDir, nodePort: nodes.echoPort, cidrs: CIDRS };
    const b = bundle(path.join(__dirname, 'lib', 'share-forwarder-child.ts'));
    const child = new TsChild(b.file, [JSON.stringify(cfg)], { tsx: false, env: b.env });
    const { ports } = await child.next<{ type: 'ready'; ports: Record<string, number> }>('ready', 30_000);
    const paths: Record<string, number> = { 'allow-list': ports.listed, 'no list': ports.unlisted, 'not shared': ports.unshared, 'plain TCP': nodes.echoPort };
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    for (const port of Object.values(paths)) for (let i = 0; i < WARMUP; i++) await pingOnce(port);
    // Interleaved, and in a rotating order, so a busy moment of the machine (and whatever the
    // previous connection's close left to do) hits every path alike.
    const order = Object.entries(paths);
    for (let i = 0; i < COUNT; i++) {
      for (let j = 0; j < order.length; j++) {
        const [k, port] = order[(i + j) % order.length];
        ms[k].push(await pingOnce(port));
      }
    }
    const audit = await child.request<{ type: 'audit'; counts: [string, number][] }>({ type: 'audit' }, 'audit');
    const cost = await child.request<{ type: 'checkCost'; us: number }>({ type: 'checkCost' }, 'checkCost');
    await child.stop();
    const p50 = (k: string) => round(median(ms[k]), 3);
    const ratio = median(ms['allow-list']) / median(ms['no list']);
    return [
      result({
        name,
        unit: 'ms',
        app: p50('allow-list'),
        baseline: p50('no list'),
        baselines: { 'not shared': p50('not shared'), 'plain TCP': p50('plain TCP') },
        ratio: round(ratio),
        target,
        met: ratio <= 1.1,
        note: `the ${CIDRS}-rule check itself takes ${round(cost.us, 1)} µs per connection; ${COUNT} connections per path (the audit recorded ${audit.counts.map(([t, n]) => `${n} ${t}`).join(', ')})`,
        details: {
          connections: COUNT,
          cidrs: CIDRS,
          checkUs: round(cost.us, 2),
          p90Ms: Object.fromEntries(Object.keys(ms).map((k) => [k, round(percentile(ms[k], 0.9), 3)])),
          p99Ms: Object.fromEntries(Object.keys(ms).map((k) => [k, round(percentile(ms[k], 0.99), 3)])),
        },
      }),
    ];
  } catch (err) {
    return [failed(name, 'ms', target, err)];
  }
}
