/**
 * Connection set-up: 400 sequential short connections (connect, send 1 byte, read it back,
 * close) per path, interleaved: the app's ssh forward vs `ssh -R` to the same sshd, with
 * the local provider, plain TCP and bare ssh2 / Node forwarders (no app code) for scale. Target: app p50 ≤ 0.6× ssh -R p50.
 */
import { sharedSshd, startAppForwarder, startBareForwarder, startSshR } from './lib/forwarders';
import { pingOnce, startNodeServers } from './lib/net-load';
import { failed, median, percentile, result, round, type BenchResult } from './lib/result';

const COUNT = 400;
/** The reference paths (bare forwarders, plain TCP) need fewer samples to show their level. */
const REF_COUNT = 200;
const WARMUP = 20;
const MAIN = ['app (ssh)', 'ssh -R'];

export default async function connectLatency(): Promise<BenchResult[]> {
  const target = 'app p50 ≤ 0.6× ssh -R p50';
  try {
    const relay = await sharedSshd();
    const nodes = await startNodeServers();
    const paths: Record<string, number> = {
      'app (ssh)': (await startAppForwarder('ssh', nodes.echoPort, relay)).port,
      'ssh -R': (await startSshR(relay, nodes.echoPort)).port,
      // References: the same forwarding without the app around it, no-delay everywhere.
      'bare ssh2 forward': (await startBareForwarder('ssh2', nodes.echoPort, relay, { relayNoDelay: false })).port,
      'bare ssh2 forward, no-delay on the relay link too': (await startBareForwarder('ssh2', nodes.echoPort, relay, { relayNoDelay: true })).port,
      'app (local)': (await startAppForwarder('local', nodes.echoPort)).port,
      'bare Node relay': (await startBareForwarder('relay', nodes.echoPort)).port,
      'plain TCP': nodes.echoPort,
    };
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    for (const port of Object.values(paths)) for (let i = 0; i < WARMUP; i++) await pingOnce(port);
    for (let i = 0; i < COUNT; i++) {
      for (const [name, port] of Object.entries(paths)) if (i < REF_COUNT || MAIN.includes(name)) ms[name].push(await pingOnce(port));
    }
    const p50 = (k: string) => round(median(ms[k]), 3);
    const p99 = (k: string) => round(percentile(ms[k], 0.99), 3);
    const ratio = median(ms['app (ssh)']) / median(ms['ssh -R']);
    const details = {
      connections: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, v.length])),
      p90Ms: Object.fromEntries(Object.keys(ms).map((k) => [k, round(percentile(ms[k], 0.9), 3)])),
      p50Ms: Object.fromEntries(Object.keys(ms).map((k) => [k, p50(k)])),
      p99Ms: Object.fromEntries(Object.keys(ms).map((k) => [k, p99(k)])),
      maxMs: Object.fromEntries(Object.keys(ms).map((k) => [k, round(Math.max(...ms[k]), 3)])),
    };
    return [
      result({
        name: 'connection set-up p50 via ssh relay: app vs ssh -R',
        unit: 'ms',
        app: p50('app (ssh)'),
        baseline: p50('ssh -R'),
        baselines: Object.fromEntries(Object.keys(ms).filter((k) => k !== 'app (ssh)').map((k) => [k, p50(k)])),
        ratio: round(ratio),
        target,
        met: ratio <= 0.6,
        note: `bare ssh2 forward ${p50('bare ssh2 forward')} ms, with no-delay on its relay link ${p50('bare ssh2 forward, no-delay on the relay link too')} ms (p90 ${round(percentile(ms['bare ssh2 forward, no-delay on the relay link too'], 0.9), 1)} ms)`,
        details,
      }),
      result({
        name: 'connection set-up p99 via ssh relay: app vs ssh -R',
        unit: 'ms',
        app: p99('app (ssh)'),
        baseline: p99('ssh -R'),
        baselines: Object.fromEntries(Object.keys(ms).filter((k) => k !== 'app (ssh)').map((k) => [k, p99(k)])),
        target: 'informational (p99 ≤ ssh -R p99)',
        met: p99('app (ssh)') <= p99('ssh -R'),
      }),
    ];
  } catch (err) {
    return [failed('connection set-up p50 via ssh relay: app vs ssh -R', 'ms', target, err)];
  }
}
