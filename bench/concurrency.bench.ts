/**
 * Concurrency: 500 connections opened at once through one tunnel, each echoing 64 KiB of
 * random bytes, every byte compared. The app's local provider and its ssh forward, with
 * `ssh -R` and plain TCP measured the same way (for scale). Target: every connection of every
 * run verified on each app path; the figure is the median run's p99 completion time.
 */
import { sharedSshd, startAppForwarder, startSshR } from './lib/forwarders';
import { concurrentEcho, startNodeServers, type ConcurrentResult } from './lib/net-load';
import { failed, result, round, type BenchResult } from './lib/result';

const CONNECTIONS = 500;
const SIZE = 64 * 1024;
const REPS = 3;

export default async function concurrency(): Promise<BenchResult[]> {
  try {
    const relay = await sharedSshd();
    const nodes = await startNodeServers();
    const appLocal = await startAppForwarder('local', nodes.echoPort);
    const appSsh = await startAppForwarder('ssh', nodes.echoPort, relay);
    const paths: Record<string, number> = {
      'app (local)': appLocal.port,
      'app (ssh)': appSsh.port,
      'ssh -R': (await startSshR(relay, nodes.echoPort)).port,
      'plain TCP': nodes.echoPort,
    };
    const runs: Record<string, ConcurrentResult[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, port] of Object.entries(paths)) runs[name].push(await concurrentEcho(port, CONNECTIONS, SIZE));
    }
    // Every run must verify every connection; the figure is the median run's p99.
    const verified = (k: string) => runs[k].reduce((a, r) => a + r.verified, 0);
    const p99 = (k: string) => round([...runs[k].map((r) => r.p99Ms)].sort((a, b) => a - b)[Math.floor(REPS / 2)], 1);
    const all = (k: string) => verified(k) === CONNECTIONS * REPS;
    const details = Object.fromEntries(
      Object.entries(runs).map(([k, rs]) => [k, { verified: `${verified(k)}/${CONNECTIONS * REPS}`, failedPerRun: rs.map((r) => r.failed), errors: rs.map((r) => r.errors).filter((e) => Object.keys(e).length), p50Ms: rs.map((r) => round(r.p50Ms, 1)), p99Ms: rs.map((r) => round(r.p99Ms, 1)), wallMs: rs.map((r) => round(r.wallMs, 1)) }]),
    );
    // On a failure, what the app itself logged about it.
    const appLog = { 'app (local)': all('app (local)') ? [] : appLocal.problems(), 'app (ssh)': all('app (ssh)') ? [] : appSsh.problems() };
    const common = { connections: CONNECTIONS, bytesEach: SIZE, runs: REPS, perPath: details, appLog };
    return [
      result({
        name: `concurrency via ssh relay: ${CONNECTIONS} × 64 KiB echo, p99 completion`,
        unit: 'ms',
        app: p99('app (ssh)'),
        baseline: p99('ssh -R'),
        baselines: { 'ssh -R': p99('ssh -R'), 'plain TCP': p99('plain TCP') },
        target: 'every byte verified (ssh -R for scale)',
        met: all('app (ssh)'),
        note: `verified ${details['app (ssh)'].verified}; run p99s ${runs['app (ssh)'].map((r) => Math.round(r.p99Ms)).join(', ')} ms`,
        details: common,
      }),
      result({
        name: `concurrency via local provider: ${CONNECTIONS} × 64 KiB echo, p99 completion`,
        unit: 'ms',
        app: p99('app (local)'),
        baseline: p99('plain TCP'),
        baselines: { 'plain TCP': p99('plain TCP') },
        target: 'every byte verified (plain TCP for scale)',
        met: all('app (local)'),
        note: `verified ${details['app (local)'].verified}`,
        details: { verified: details['app (local)'].verified },
      }),
    ];
  } catch (err) {
    return [failed(`concurrency: ${CONNECTIONS} × 64 KiB echo`, 'ms', 'every byte verified', err)];
  }
}
